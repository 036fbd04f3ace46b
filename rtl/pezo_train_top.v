// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// pezo_train_top: the ZO training engine with its perturbation source; SOURCE picks how
// numbers are reused, DIST and K which numbers the RNG array makes.
//
//   SOURCE 0: pezo_pool (uniform v = 2s+1, pool of POOL_N numbers, rotating offset)
//   SOURCE 1: pezo_pool -> pezo_scale (uniform-scaled, v * M as a shift-add); SCALE_MODE picks
//             the scale's form: 0 programmable (the SCALE register), 1 fixed M = SCALE_M,
//             2 fixed with M's power of two folded into the engine's shifts
//   SOURCE 2: pezo_rng_array, LANES generators pezo_numgen #(DIST, K), NUM_W-bit numbers
// The rows of ref_model/source_table.py name the parameters of every source.
// Every source speaks docs/perturbation-interface.md with cfg_d_i = d of the MLP.
// Set-up through the engine's registers: CTRL.SETUP fills the pool from SEED (0, 1) or loads
// generator SEED_IDX with SEED (2); SCALE holds the scale terms (1): fields EN, NEG and
// SHIFT (5 bits per term k: 2^(e_k + 12)), see rtl/pezo_train_regmap.vh.

module pezo_train_top #(
    // Perturbation reuse, see above. 0..2.
    parameter integer SOURCE = 0,
    // MLP sizes (N_IN, N_HID multiples of LANES); N_HID2 a second hidden layer (0: none, else
    // a multiple of LANES).
    parameter integer N_IN = 64,
    parameter integer N_HID = 16,
    parameter integer N_OUT = 10,
    parameter integer N_HID2 = 0,
    // Loss: 0 MSE, 1 multi-class hinge.
    parameter integer LOSS = 0,
    // MAC lanes = perturbation numbers per beat (= RNG array size n). Power of two.
    parameter integer LANES = 4,
    // Perturbation word width W (LFSR OUT_W); numbers have W fraction bits. 2..14.
    parameter integer Z_WORD = 8,
    // Pool size N (SOURCE 0, 1): a multiple of LANES; POOL_ADDR_W with 2^POOL_ADDR_W >= N.
    parameter integer POOL_N = 2048,
    parameter integer POOL_ADDR_W = 11,
    // Largest mini-batch (power of two).
    parameter integer MAX_BATCH = 32,
    // Queries per step (1, 2, 4, 8) and the update's rounding (0 nearest, 1 stochastic).
    parameter integer QUERIES = 1,
    parameter integer ROUNDING = 0,
    // RNG array (SOURCE 2), passed to pezo_rng_array: the generators' distribution
    // (pezo_numgen DIST), LFSR words per number, and the width of a number: at least what
    // DIST needs (the need_width of its ref_model module; pezo_numgen refuses less). The
    // default fits every generator of today; the exact need saves area.
    parameter integer DIST = 0,
    parameter integer K = 1,
    parameter integer NUM_W = Z_WORD + 4,
    // The scale's form and fixed multiplier (SOURCE 1), passed to pezo_scale. 0..2; >= 1.
    parameter integer SCALE_MODE = 0,
    parameter integer SCALE_M = 7104
) (
    input  wire                clk_i,
    input  wire                rst_ni,

    input  wire [7:0]          reg_addr_i,
    input  wire [31:0]         reg_wdata_i,
    input  wire                reg_we_i,
    input  wire                reg_re_i,
    output wire [31:0]         reg_rdata_o,

    input  wire                s_valid_i,
    output wire                s_ready_o,
    input  wire [N_IN*8-1:0]   s_pixels_i,
    input  wire [3:0]          s_label_i,

    output wire                busy_o,
    output wire                step_done_o
);

// weights and biases, layer by layer (ref_model/layout.py)
localparam integer D = (N_HID2 > 0)
    ? N_HID * (N_IN + 1) + N_HID2 * (N_HID + 1) + N_OUT * (N_HID2 + 1)
    : N_HID * (N_IN + 1) + N_OUT * (N_HID + 1);
localparam integer TERMS = 3;
localparam integer SHIFT_MAX = 16;
localparam integer POOL_NUM_W = Z_WORD + 1;
// pezo_scale's least OUT_W: any terms (SCALE_MODE 0), or the fixed M without its folded
// power of two (2^FOLD = M & -M in mode 2)
localparam integer SCALE_FOLD = (SCALE_MODE == 2 && SCALE_M > 0) ? $clog2(SCALE_M & -SCALE_M) : 0;
localparam integer SCALE_OUT_W = (SCALE_MODE == 0) ? POOL_NUM_W + SHIFT_MAX + 2
                                 : POOL_NUM_W + $clog2((SCALE_M > 0) ? SCALE_M >> SCALE_FOLD : 1);
localparam integer Z_W = (SOURCE == 0) ? POOL_NUM_W : (SOURCE == 1) ? SCALE_OUT_W : NUM_W;
localparam [15:0] D_16 = 16'(D);

// check configuration (docs/architecture.md, "RTL conventions": Verilator and yosys stop at
// elaboration; Icarus 11 has no elaboration-time tasks and stops at time 0)
if (SOURCE < 0 || SOURCE > 2) begin : gen_param_error_source
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_top: SOURCE=%0d unsupported, need 0..2", SOURCE);
end

/* verilator lint_off UNUSEDPARAM */  // the map names every field, the top uses SCALE's
`include "pezo_train_regmap.vh"
/* verilator lint_on UNUSEDPARAM */

wire                   src_step;
wire                   src_replay;
wire                   src_idle;
wire                   src_err;
wire                   src_valid;
wire                   src_ready;
wire [LANES*Z_W-1:0]   src_data;
wire [LANES-1:0]       src_keep;
wire                   src_last;
wire                   setup;
wire [31:0]            seed;
// set-up fields: each source uses its own subset
/* verilator lint_off UNUSEDSIGNAL */
wire [7:0]             seed_idx;
wire [31:0]            scale;
wire [15:0]            refresh;
/* verilator lint_on UNUSEDSIGNAL */
wire                   setup_busy;

pezo_train_engine #(
    .N_IN(N_IN), .N_HID(N_HID), .N_OUT(N_OUT), .N_HID2(N_HID2), .LOSS(LOSS), .LANES(LANES),
    .Z_W(Z_W), .MAX_BATCH(MAX_BATCH), .QUERIES(QUERIES), .ROUNDING(ROUNDING)
) u_engine (
    .clk_i(clk_i),
    .rst_ni(rst_ni),
    .reg_addr_i(reg_addr_i),
    .reg_wdata_i(reg_wdata_i),
    .reg_we_i(reg_we_i),
    .reg_re_i(reg_re_i),
    .reg_rdata_o(reg_rdata_o),
    .s_valid_i(s_valid_i),
    .s_ready_o(s_ready_o),
    .s_pixels_i(s_pixels_i),
    .s_label_i(s_label_i),
    .busy_o(busy_o),
    .step_done_o(step_done_o),
    .src_step_o(src_step),
    .src_replay_o(src_replay),
    .src_idle_i(src_idle),
    .src_err_i(src_err),
    .src_valid_i(src_valid),
    .src_ready_o(src_ready),
    .src_data_i(src_data),
    .src_keep_i(src_keep),
    .src_last_i(src_last),
    .setup_o(setup),
    .seed_o(seed),
    .seed_idx_o(seed_idx),
    .scale_o(scale),
    .refresh_o(refresh),
    .setup_busy_i(setup_busy)
);

if (SOURCE == 0 || SOURCE == 1) begin : gen_pool
    wire                   p_idle;
    wire                   p_valid;
    wire                   p_ready;
    wire [LANES*POOL_NUM_W-1:0] p_data;
    wire [LANES-1:0]       p_keep;
    wire                   p_last;
    /* verilator lint_off UNUSEDSIGNAL */
    wire [2*POOL_NUM_W+POOL_ADDR_W-1:0] p_sumsq;  // the twin computes the terms itself
    /* verilator lint_on UNUSEDSIGNAL */

    pezo_pool #(
        .POOL_N(POOL_N), .LANES(LANES), .NUM_W(POOL_NUM_W), .D_W(16), .R_W(16),
        .ADDR_W(POOL_ADDR_W), .STATE_W(32)
    ) u_pool (
        .clk_i(clk_i),
        .rst_ni(rst_ni),
        .fill_i(setup),
        .fill_seed_i(seed),
        .fill_busy_o(setup_busy),
        .fill_sumsq_o(p_sumsq),
        .cfg_d_i(D_16),
        .cfg_refresh_i(refresh),
        .step_i(src_step),
        .replay_i(src_replay),
        .idle_o(p_idle),
        .cfg_err_o(src_err),
        .m_valid_o(p_valid),
        .m_ready_i(p_ready),
        .m_data_o(p_data),
        .m_keep_o(p_keep),
        .m_last_o(p_last)
    );

    if (SOURCE == 0) begin : gen_plain
        assign src_idle = p_idle;
        assign src_valid = p_valid;
        assign p_ready = src_ready;
        assign src_data = p_data;
        assign src_keep = p_keep;
        assign src_last = p_last;
    end else begin : gen_scaled
        /* verilator lint_off UNUSEDSIGNAL */
        wire scale_err;  // the host validates the terms before writing SCALE (mode 0)
        /* verilator lint_on UNUSEDSIGNAL */
        pezo_scale #(
            .LANES(LANES), .NUM_W(POOL_NUM_W), .TERMS(TERMS), .SHIFT_MAX(SHIFT_MAX),
            .SCALE_MODE(SCALE_MODE), .SCALE_M(SCALE_M), .OUT_W(Z_W)
        ) u_scale (
            .clk_i(clk_i),
            .rst_ni(rst_ni),
            .scale_en_i(scale[SCALE_EN_LSB +: SCALE_EN_W]),
            .scale_neg_i(scale[SCALE_NEG_LSB +: SCALE_NEG_W]),
            .scale_shift_i(scale[SCALE_SHIFT_LSB +: SCALE_SHIFT_W]),
            .scale_err_o(scale_err),
            .s_valid_i(p_valid),
            .s_ready_o(p_ready),
            .s_data_i(p_data),
            .s_keep_i(p_keep),
            .s_last_i(p_last),
            .m_valid_o(src_valid),
            .m_ready_i(src_ready),
            .m_data_o(src_data),
            .m_keep_o(src_keep),
            .m_last_o(src_last)
        );
        assign src_idle = p_idle && !src_valid;
    end
end else begin : gen_array
    assign setup_busy = 1'b0;
    pezo_rng_array #(
        .LANES(LANES), .DIST(DIST), .W(Z_WORD), .K(K), .NUM_W(NUM_W), .D_W(16),
        .STATE_W(32)
    ) u_array (
        .clk_i(clk_i),
        .rst_ni(rst_ni),
        .seed_we_i(setup),
        .seed_idx_i(seed_idx[((LANES > 1) ? $clog2(LANES) : 1)-1:0]),
        .seed_i(seed),
        .cfg_d_i(D_16),
        .step_i(src_step),
        .replay_i(src_replay),
        .idle_o(src_idle),
        .cfg_err_o(src_err),
        .m_valid_o(src_valid),
        .m_ready_i(src_ready),
        .m_data_o(src_data),
        .m_keep_o(src_keep),
        .m_last_o(src_last)
    );
end

endmodule

`default_nettype wire
