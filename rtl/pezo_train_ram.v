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

// check configuration (docs/architecture.md, "RTL conventions": Verilator and yosys stop at
// elaboration; Icarus 11 has no elaboration-time tasks and stops at time 0)
if (LANES < 1) begin : gen_param_error_lanes
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_ram: LANES=%0d unsupported, need >= 1", LANES);
end
if (WORD_W < 1) begin : gen_param_error_word_w
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_ram: WORD_W=%0d unsupported, need >= 1", WORD_W);
end
if (ROWS < 2) begin : gen_param_error_rows
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_ram: ROWS=%0d unsupported, need >= 2", ROWS);
end
if ((1 << ADDR_W) < ROWS) begin : gen_param_error_addr_w
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_ram: ADDR_W=%0d unsupported, need >= %0d (2^ADDR_W >= ROWS)",
        ADDR_W, $clog2(ROWS));
end

genvar l;
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

endmodule

`default_nettype wire
