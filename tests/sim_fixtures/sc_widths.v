`default_nettype none
// Registered echo of one input of each width class verilator-sc maps to a SystemC type:
// bool (1 bit), uint32_t (2..32), uint64_t (33..64), sc_bv (65 and wider).
module sc_widths (
    input  wire         clk_i,
    input  wire         rst_ni,
    input  wire         bit_i,
    input  wire [31:0]  word_i,
    input  wire [32:0]  w33_i,
    input  wire [63:0]  dword_i,
    input  wire [64:0]  w65_i,
    input  wire [511:0] wide_i,
    output reg          bit_o,
    output reg  [31:0]  word_o,
    output reg  [32:0]  w33_o,
    output reg  [63:0]  dword_o,
    output reg  [64:0]  w65_o,
    output reg  [511:0] wide_o
);
    always @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni) begin
            bit_o   <= 1'b0;
            word_o  <= 32'd0;
            w33_o   <= 33'd0;
            dword_o <= 64'd0;
            w65_o   <= 65'd0;
            wide_o  <= 512'd0;
        end else begin
            bit_o   <= bit_i;
            word_o  <= word_i;
            w33_o   <= w33_i;
            dword_o <= dword_i;
            w65_o   <= w65_i;
            wide_o  <= wide_i;
        end
    end
endmodule
`default_nettype wire
