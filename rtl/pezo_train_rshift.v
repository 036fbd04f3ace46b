// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// pezo_train_rshift: round_shift by a run-time signed amount, then saturate.
//
// s > 0: (x + 2^(s-1)) >>> s (round to nearest, ties toward +infinity);
// s = 0: x; s < 0: x << -s (exact). The result is clamped to the signed OUT_W range.
// Bit-exact model: ref_model/rounding.py (round_shift, saturate). Combinational.

module pezo_train_rshift #(
    // Width of the signed input. 2..96.
    parameter integer IN_W = 48,
    // Width of the signed, saturated output. 2..IN_W+L_MAX+1.
    parameter integer OUT_W = 32,
    // Width of the signed shift amount. 2..8.
    parameter integer S_W = 8,
    // Largest left shift (most negative s) the caller allows. 0..32.
    parameter integer L_MAX = 16,
    // Largest right shift (most positive s) the caller allows. 1..63.
    parameter integer R_MAX = 47
) (
    input  wire signed [IN_W-1:0]  x_i,
    input  wire signed [S_W-1:0]   s_i,
    output wire signed [OUT_W-1:0] y_o
);

localparam integer EXT_A = IN_W + L_MAX + 2;
localparam integer EXT_B = R_MAX + 3;
localparam integer EXT_W = (EXT_A > EXT_B) ? EXT_A : EXT_B;

// check configuration (docs/architecture.md, "RTL conventions": Verilator and yosys stop at
// elaboration; Icarus 11 has no elaboration-time tasks and stops at time 0)
if (IN_W < 2) begin : gen_param_error_in_w
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_rshift: IN_W=%0d unsupported, need >= 2", IN_W);
end
if (OUT_W < 2 || OUT_W > EXT_W - 1) begin : gen_param_error_out_w
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_rshift: OUT_W=%0d unsupported, need 2..%0d (EXT_W - 1)", OUT_W, EXT_W - 1);
end
if (S_W < 2 || S_W > 8) begin : gen_param_error_s_w
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_rshift: S_W=%0d unsupported, need 2..8", S_W);
end

wire                    neg = s_i[S_W-1];
wire [S_W-1:0]          amt = neg ? (~s_i + 1'b1) : s_i;
wire signed [EXT_W-1:0] x_ext = {{(EXT_W - IN_W){x_i[IN_W-1]}}, x_i};
wire [EXT_W-1:0]        one = {{(EXT_W - 1){1'b0}}, 1'b1};
wire signed [EXT_W-1:0] half = (neg || amt == 0) ? {EXT_W{1'b0}} : $signed(one << (amt - 1'b1));
wire signed [EXT_W-1:0] sum = x_ext + half;
wire signed [EXT_W-1:0] shifted = neg ? (x_ext <<< amt) : (sum >>> amt);

localparam [EXT_W-1:0] ONE_P = 1;
localparam [EXT_W-1:0] HI_U = (ONE_P << (OUT_W - 1)) - ONE_P;
localparam [EXT_W-1:0] LO_U = ~HI_U;
wire signed [EXT_W-1:0] hi = HI_U;
wire signed [EXT_W-1:0] lo = LO_U;

assign y_o = (shifted > hi) ? hi[OUT_W-1:0] :
             (shifted < lo) ? lo[OUT_W-1:0] : shifted[OUT_W-1:0];

endmodule

`default_nettype wire
