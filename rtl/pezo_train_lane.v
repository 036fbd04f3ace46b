// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// pezo_train_lane: one lane of the perturb / update passes (combinational).
//
//     perturb +:  out = saturate(theta + round_shift(z, s_p), W_BITS)
//     perturb -:  out = saturate(theta - round_shift(z, s_p), W_BITS)
//     update:     out = saturate(theta - rnd(sum_k g_k * z_k, s_u), W_BITS)
// over the step's QUERIES queries: z_i is the stream's number (the last query's in the
// update pass), z_prev_i the earlier queries' numbers kept by the datapath. rnd is
// round_shift (ROUNDING 0) or the stochastic (x + r) >>> s_u with r the top s_u bits of
// the 16-bit word r_word_i (ROUNDING 1, ref_model/rounding.py random_offsets).
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
    parameter integer R_MAX = 47,
    // Queries per step (a power of two) and the update's rounding (0 nearest, 1 stochastic).
    parameter integer QUERIES = 1,
    parameter integer ROUNDING = 0,
    // Width of a stochastic-rounding word.
    parameter integer R_W = 16
) (
    input  wire [1:0]               mode_i,    // 0: theta + p, 1: theta - p, 2: update
    input  wire signed [W_BITS-1:0] theta_i,
    input  wire signed [Z_W-1:0]    z_i,
    input  wire signed [S_W-1:0]    s_p_i,
    input  wire [((QUERIES > 1) ? QUERIES - 1 : 1)*Z_W-1:0] z_prev_i,  // queries 0..QUERIES-2 (unused if QUERIES 1)
    input  wire [QUERIES*G_BITS-1:0] g_i,      // query k at k; the stream's is QUERIES-1
    input  wire signed [S_W-1:0]    s_u_i,
    input  wire [R_W-1:0]           r_word_i,
    output wire signed [W_BITS-1:0] theta_o
);

localparam integer P_W = Z_W + L_MAX + 1;           // round_shift(z) is never saturated
localparam integer Q_LOG = $clog2(QUERIES);
// sum_k g_k z_k exactly, and room for a stochastic offset r < 2^R_MAX
localparam integer GZ_A = G_BITS + Z_W + Q_LOG + 1;
localparam integer GZ_W = (GZ_A > R_MAX + 2) ? GZ_A : R_MAX + 2;
localparam integer DL_W = GZ_W + L_MAX + 1;         // rnd(sum g z) is never saturated
localparam integer SUM_W = DL_W + 2;

wire signed [P_W-1:0]   p;
wire signed [DL_W-1:0]  delta;
reg  signed [GZ_W-1:0]  gz;
reg  signed [GZ_W-1:0]  offset;   // ROUNDING 1: r - 2^(s_u-1), so round_shift gives (x + r) >>> s_u
reg  signed [Z_W-1:0]   z_k;
reg  [GZ_W-1:0]         r;
integer k;

always @* begin
    gz = {GZ_W{1'b0}};
    for (k = 0; k < QUERIES; k = k + 1) begin
        z_k = (k == QUERIES - 1) ? z_i : $signed(z_prev_i[k * Z_W +: Z_W]);
        gz = gz + GZ_W'($signed(g_i[k * G_BITS +: G_BITS])) * GZ_W'(z_k);
    end
end

always @* begin
    offset = {GZ_W{1'b0}};
    r = {GZ_W{1'b0}};
    if (ROUNDING != 0 && !s_u_i[S_W-1] && s_u_i != 0) begin
        r = (32'(s_u_i) >= R_W) ? GZ_W'(r_word_i) << (32'(s_u_i) - R_W)
                                : GZ_W'(r_word_i) >> (R_W - 32'(s_u_i));
        offset = $signed(r) - $signed(GZ_W'(1) << (32'(s_u_i) - 1));
    end
end

pezo_train_rshift #(
    .IN_W(Z_W), .OUT_W(P_W), .S_W(S_W), .L_MAX(L_MAX), .R_MAX(R_MAX)
) u_p (
    .x_i(z_i), .s_i(s_p_i), .y_o(p)
);

pezo_train_rshift #(
    .IN_W(GZ_W), .OUT_W(DL_W), .S_W(S_W), .L_MAX(L_MAX), .R_MAX(R_MAX)
) u_delta (
    .x_i(gz + offset), .s_i(s_u_i), .y_o(delta)
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
