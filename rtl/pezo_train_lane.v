// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// pezo_train_lane: one lane of the perturb / update passes (combinational).
//
//     perturb +:  out = saturate(theta + round_shift(z, s_p), W_BITS)
//     perturb -:  out = saturate(theta - round_shift(z, s_p), W_BITS)
//     update:     out = saturate(theta - round_shift(g * z, s_u), W_BITS)
// Bit-exact model: ref_model/step.py fixed_step.

module pezo_train_lane #(
    // Weight width. 2..32.
    parameter integer W_BITS = 16,
    // Perturbation number width (signed). 2..32.
    parameter integer Z_W = 9,
    // g_hat width (signed). 2..48.
    parameter integer G_BITS = 32,
    // Shift-amount width (signed) and the allowed left / right shift ranges.
    parameter integer S_W = 8,
    parameter integer L_MAX = 16,
    parameter integer R_MAX = 47
) (
    input  wire [1:0]               mode_i,    // 0: theta + p, 1: theta - p, 2: update
    input  wire signed [W_BITS-1:0] theta_i,
    input  wire signed [Z_W-1:0]    z_i,
    input  wire signed [S_W-1:0]    s_p_i,
    input  wire signed [G_BITS-1:0] g_i,
    input  wire signed [S_W-1:0]    s_u_i,
    output wire signed [W_BITS-1:0] theta_o
);

localparam integer P_W = Z_W + L_MAX + 1;           // round_shift(z) is never saturated
localparam integer GZ_W = G_BITS + Z_W;
localparam integer DL_W = GZ_W + L_MAX + 1;         // round_shift(g z) is never saturated
localparam integer SUM_W = DL_W + 2;

wire signed [P_W-1:0]   p;
wire signed [GZ_W-1:0]  gz = $signed({{Z_W{g_i[G_BITS-1]}}, g_i}) * $signed({{G_BITS{z_i[Z_W-1]}}, z_i});
wire signed [DL_W-1:0]  delta;

pezo_train_rshift #(
    .IN_W(Z_W), .OUT_W(P_W), .S_W(S_W), .L_MAX(L_MAX), .R_MAX(R_MAX)
) u_p (
    .x_i(z_i), .s_i(s_p_i), .y_o(p)
);

pezo_train_rshift #(
    .IN_W(GZ_W), .OUT_W(DL_W), .S_W(S_W), .L_MAX(L_MAX), .R_MAX(R_MAX)
) u_delta (
    .x_i(gz), .s_i(s_u_i), .y_o(delta)
);

wire signed [SUM_W-1:0] th = SUM_W'(theta_i);
wire signed [SUM_W-1:0] pe = SUM_W'(p);
wire signed [SUM_W-1:0] de = SUM_W'(delta);
wire signed [SUM_W-1:0] sum = (mode_i == 2'd0) ? th + pe : (mode_i == 2'd1) ? th - pe : th - de;

localparam [SUM_W-1:0] ONE = 1;
localparam [SUM_W-1:0] HI_U = (ONE << (W_BITS - 1)) - ONE;
localparam [SUM_W-1:0] LO_U = ~HI_U;
wire signed [SUM_W-1:0] hi = HI_U;
wire signed [SUM_W-1:0] lo = LO_U;

assign theta_o = (sum > hi) ? hi[W_BITS-1:0] : (sum < lo) ? lo[W_BITS-1:0] : sum[W_BITS-1:0];

endmodule

`default_nettype wire
