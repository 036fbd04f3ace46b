// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// pezo_train_ram: simple dual-port RAM of ROWS rows x LANES words, per-word write enables.
//
// One bank per lane (bank l holds word l of every row), each a block-RAM template: one
// write port, one read port with a registered read (data one clock after the address).
// No reset of the contents (weights survive rst_ni).

module pezo_train_ram #(
    // Words per row (banks). >= 1.
    parameter integer LANES = 4,
    // Width of one word. >= 1.
    parameter integer WORD_W = 16,
    // Rows. >= 2.
    parameter integer ROWS = 256,
    // Row address width: 2^ADDR_W >= ROWS.
    parameter integer ADDR_W = 8
) (
    input  wire                      clk_i,

    input  wire                      we_i,
    input  wire [LANES-1:0]          wmask_i,   // word l written when we_i && wmask_i[l]
    input  wire [ADDR_W-1:0]         waddr_i,
    input  wire [LANES*WORD_W-1:0]   wdata_i,

    input  wire                      re_i,      // read enable: rdata_o updates only then
    input  wire [ADDR_W-1:0]         raddr_i,
    output wire [LANES*WORD_W-1:0]   rdata_o
);

// check configuration
initial begin
    if (LANES < 1 || WORD_W < 1 || ROWS < 2 || (1 << ADDR_W) < ROWS) begin
        $error("pezo_train_ram: LANES=%0d WORD_W=%0d ROWS=%0d ADDR_W=%0d unsupported (instance %m)",
               LANES, WORD_W, ROWS, ADDR_W);
        $finish;
    end
end

genvar l;
generate
    for (l = 0; l < LANES; l = l + 1) begin : gen_bank
        reg [WORD_W-1:0] mem [0:ROWS-1];
        reg [WORD_W-1:0] rdata_q;

        always @(posedge clk_i) begin
            if (we_i && wmask_i[l]) begin
                mem[waddr_i] <= wdata_i[l*WORD_W +: WORD_W];
            end
            if (re_i) begin
                rdata_q <= mem[raddr_i];
            end
        end
        assign rdata_o[l*WORD_W +: WORD_W] = rdata_q;
    end
endgenerate

endmodule

`default_nettype wire
