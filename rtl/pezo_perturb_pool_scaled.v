// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// pezo_perturb_pool_scaled: the PeZO pool followed by the adaptive-scaling stage, as
// pezo_train_top wires them for SOURCE 1, with the scale terms as ports (the top's SCALE
// register). The unit the equal-throughput measurement (power/throughput.py) synthesizes and
// simulates; interface: docs/perturbation-interface.md, pool set-up ports as pezo_pool.

module pezo_perturb_pool_scaled #(
    // Pool size N: a multiple of LANES, >= 2.
    parameter integer POOL_N = 64,
    // Numbers per beat (P). >= 1.
    parameter integer LANES = 4,
    // Width of one pool number v = 2s+1. 3..17.
    parameter integer NUM_W = 9,
    // Pool index width: 2^ADDR_W >= POOL_N.
    parameter integer ADDR_W = 6,
    // Shift-add terms of the scale and the largest shift (pezo_scale).
    parameter integer TERMS = 3,
    parameter integer SHIFT_MAX = 16,
    // The scale's form and fixed M (pezo_scale: 0 programmable, 1 fixed, 2 folded).
    parameter integer SCALE_MODE = 0,
    parameter integer SCALE_M = 7104,
    // Width of one scaled lane (pezo_scale's OUT_W rule for the form).
    parameter integer OUT_W = 27
) (
    input  wire                   clk_i,
    input  wire                   rst_ni,

    // Pool fill (pezo_pool).
    input  wire                   fill_i,
    input  wire [31:0]            fill_seed_i,
    output wire                   fill_busy_o,

    // Scale terms (pezo_scale): quasi-static, written by the host.
    input  wire [TERMS-1:0]       scale_en_i,
    input  wire [TERMS-1:0]       scale_neg_i,
    input  wire [TERMS*$clog2(SHIFT_MAX+1)-1:0] scale_shift_i,
    output wire                   scale_err_o,

    // Step control (docs/perturbation-interface.md).
    input  wire [15:0]            cfg_d_i,
    input  wire [15:0]            cfg_refresh_i,
    input  wire                   step_i,
    input  wire                   replay_i,
    output wire                   idle_o,
    output wire                   cfg_err_o,

    // Scaled perturbation stream.
    output wire                   m_valid_o,
    input  wire                   m_ready_i,
    output wire [LANES*OUT_W-1:0] m_data_o,
    output wire [LANES-1:0]       m_keep_o,
    output wire                   m_last_o
);

wire                   p_idle;
wire                   p_valid;
wire                   p_ready;
wire [LANES*NUM_W-1:0] p_data;
wire [LANES-1:0]       p_keep;
wire                   p_last;
/* verilator lint_off UNUSEDSIGNAL */
wire [2*NUM_W+ADDR_W-1:0] p_sumsq;  // the host computes the terms from it; not measured here
/* verilator lint_on UNUSEDSIGNAL */

pezo_pool #(
    .POOL_N(POOL_N), .LANES(LANES), .NUM_W(NUM_W), .D_W(16), .R_W(16), .ADDR_W(ADDR_W),
    .STATE_W(32)
) u_pool (
    .clk_i(clk_i),
    .rst_ni(rst_ni),
    .fill_i(fill_i),
    .fill_seed_i(fill_seed_i),
    .fill_busy_o(fill_busy_o),
    .fill_sumsq_o(p_sumsq),
    .cfg_d_i(cfg_d_i),
    .cfg_refresh_i(cfg_refresh_i),
    .step_i(step_i),
    .replay_i(replay_i),
    .idle_o(p_idle),
    .cfg_err_o(cfg_err_o),
    .m_valid_o(p_valid),
    .m_ready_i(p_ready),
    .m_data_o(p_data),
    .m_keep_o(p_keep),
    .m_last_o(p_last)
);

pezo_scale #(
    .LANES(LANES), .NUM_W(NUM_W), .TERMS(TERMS), .SHIFT_MAX(SHIFT_MAX),
    .SCALE_MODE(SCALE_MODE), .SCALE_M(SCALE_M), .OUT_W(OUT_W)
) u_scale (
    .clk_i(clk_i),
    .rst_ni(rst_ni),
    .scale_en_i(scale_en_i),
    .scale_neg_i(scale_neg_i),
    .scale_shift_i(scale_shift_i),
    .scale_err_o(scale_err_o),
    .s_valid_i(p_valid),
    .s_ready_o(p_ready),
    .s_data_i(p_data),
    .s_keep_i(p_keep),
    .s_last_i(p_last),
    .m_valid_o(m_valid_o),
    .m_ready_i(m_ready_i),
    .m_data_o(m_data_o),
    .m_keep_o(m_keep_o),
    .m_last_o(m_last_o)
);

// idle once the pool is idle and the scale stage holds no beat
assign idle_o = p_idle && !m_valid_o;

endmodule

`default_nettype wire
