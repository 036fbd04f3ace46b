// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// pezo_train_engine: ZO-SGD training engine: register file, controller and datapath.
//
// One ZO step, run by the controller on its own (docs/training-engine.md):
//   LOAD    accept BATCH samples from the s_* stream into the sample buffer
//   P_PASS  step_i to the perturbation source; pbuf = sat(theta + round_shift(z, s_p))
//   FWD_P   forward over the batch with pbuf: S+ (pezo_train_fwd, pezo_train_loss)
//   M_PASS  replay_i; pbuf = sat(theta - round_shift(z, s_p))
//   FWD_M   forward: S-
//   GHAT    g = sat(round_shift(S+ - S-, s_g), G_BITS)
//   (P_PASS .. GHAT once per query: QUERIES perturbations, each its own g_k)
//   U_PASS  replay_i; theta = sat(theta - rnd(sum_k g_k z_k, s_u)); weight signature
//           (rnd: round to nearest, or ROUNDING 1 stochastic with pezo_train_round's words)
// Bit-exact model: ref_model/step.py fixed_step (mse or hinge).
// The perturbation source speaks docs/perturbation-interface.md with the same LANES.
// pezo_train_regs holds the host registers (rtl/pezo_train_regmap.vh), pezo_train_ctrl runs
// the phases, pezo_train_datapath holds the memories, passes, forward engine and g_hat unit.

module pezo_train_engine #(
    // MLP layer sizes; N_IN and N_HID multiples of LANES (>= LANES), N_OUT 2..16.
    parameter integer N_IN = 64,
    parameter integer N_HID = 16,
    parameter integer N_OUT = 10,
    // Second hidden layer: 0 (none: N_IN-N_HID-N_OUT) or a multiple of LANES.
    parameter integer N_HID2 = 0,
    // Loss: 0 MSE, 1 multi-class hinge.
    parameter integer LOSS = 0,
    // MAC lanes = perturbation numbers per beat = words per memory row. Power of two.
    parameter integer LANES = 4,
    // Perturbation number width (the source's NUM_W).
    parameter integer Z_W = 9,
    // Fixed-point formats (ref_model.config.FixedFormat).
    parameter integer W_BITS = 16,
    parameter integer W_FRAC = 12,
    parameter integer X_FRAC = 4,
    parameter integer A_BITS = 16,
    parameter integer A_FRAC = 8,
    parameter integer G_BITS = 32,
    // Largest mini-batch (sample-buffer rows). 2..1024, a power of two.
    parameter integer MAX_BATCH = 32,
    // Allowed shift range of s_p, s_g, s_u: -L_MAX..R_MAX.
    parameter integer L_MAX = 16,
    parameter integer R_MAX = 47,
    // Queries per step: 1, 2, 4 or 8 (a zbuf RAM of d numbers for every query but the last).
    parameter integer QUERIES = 1,
    // Update rounding: 0 round to nearest, 1 stochastic (pezo_train_round; ROUND_SEED).
    parameter integer ROUNDING = 0
) (
    input  wire                      clk_i,
    input  wire                      rst_ni,

    // Register bus: write when reg_we_i; read data one clock after reg_re_i.
    input  wire [7:0]                reg_addr_i,
    input  wire [31:0]               reg_wdata_i,
    input  wire                      reg_we_i,
    input  wire                      reg_re_i,
    output wire [31:0]               reg_rdata_o,

    // Sample stream: one beat = one sample (N_IN raw pixels 0..16, 8 bits each) + label.
    input  wire                      s_valid_i,
    output wire                      s_ready_o,
    input  wire [N_IN*8-1:0]         s_pixels_i,
    input  wire [3:0]                s_label_i,

    // Events for the host.
    output wire                      busy_o,
    output wire                      step_done_o,

    // Perturbation source control and stream (docs/perturbation-interface.md).
    output wire                      src_step_o,
    output wire                      src_replay_o,
    input  wire                      src_idle_i,
    input  wire                      src_err_i,
    input  wire                      src_valid_i,
    output wire                      src_ready_o,
    input  wire [LANES*Z_W-1:0]      src_data_i,
    input  wire [LANES-1:0]          src_keep_i,
    input  wire                      src_last_i,

    // Perturbation source set-up (the top maps these onto the source's own ports).
    output wire                      setup_o,
    output wire [31:0]               seed_o,
    output wire [7:0]                seed_idx_o,
    output wire [31:0]               scale_o,
    output wire [15:0]               refresh_o,
    input  wire                      setup_busy_i
);

// weights and biases, layer by layer (ref_model/layout.py)
localparam integer D = (N_HID2 > 0)
    ? N_HID * (N_IN + 1) + N_HID2 * (N_HID + 1) + N_OUT * (N_HID2 + 1)
    : N_HID * (N_IN + 1) + N_OUT * (N_HID + 1);
// clamped so that LANES = 0 and MAX_BATCH < 2 reach the checks
localparam integer LANES_DIV = (LANES > 0) ? LANES : 1;
localparam integer ROWS = (LANES > 0) ? (D + LANES - 1) / LANES : 2;
localparam integer RA_W = $clog2(ROWS);
localparam integer SA_W = (MAX_BATCH > 2) ? $clog2(MAX_BATCH) : 1;
localparam integer B_W = SA_W + 1;
localparam integer LOSS_W = 48;
localparam integer S_W = 8;
// clamped so that QUERIES = 0 reaches its check
localparam integer Q_N = (QUERIES > 1) ? QUERIES : 1;
localparam integer Q_W = (QUERIES > 1) ? $clog2(QUERIES) : 1;

// check configuration (docs/architecture.md, "RTL conventions": Verilator and yosys stop at
// elaboration; Icarus 11 has no elaboration-time tasks and stops at time 0)
if (LANES < 1 || (LANES & (LANES - 1)) != 0 || N_IN % LANES != 0 ||
    N_HID % LANES != 0) begin : gen_param_error_lanes
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_engine: LANES=%0d unsupported, need a power of two dividing N_IN=%0d and N_HID=%0d",
        LANES, N_IN, N_HID);
end
if (N_IN < LANES) begin : gen_param_error_n_in
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_engine: N_IN=%0d unsupported, need >= %0d (N_IN >= LANES)", N_IN, LANES);
end
if (N_HID < LANES) begin : gen_param_error_n_hid
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_engine: N_HID=%0d unsupported, need >= %0d (N_HID >= LANES)", N_HID, LANES);
end
if (N_HID2 < 0 || N_HID2 % LANES_DIV != 0) begin : gen_param_error_n_hid2
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_engine: N_HID2=%0d unsupported, need 0 or a multiple of %0d (LANES)",
        N_HID2, LANES);
end
if (LOSS < 0 || LOSS > 1) begin : gen_param_error_loss
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_engine: LOSS=%0d unsupported, need 0..1 (0 MSE, 1 hinge)", LOSS);
end
if (MAX_BATCH < 2 || MAX_BATCH > 1024 ||
    (MAX_BATCH & (MAX_BATCH - 1)) != 0) begin : gen_param_error_max_batch
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_engine: MAX_BATCH=%0d unsupported, need a power of two in 2..1024", MAX_BATCH);
end
if (L_MAX < 0 || L_MAX > 32) begin : gen_param_error_l_max
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_engine: L_MAX=%0d unsupported, need 0..32", L_MAX);
end
if (R_MAX < 1 || R_MAX > 63) begin : gen_param_error_r_max
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_engine: R_MAX=%0d unsupported, need 1..63", R_MAX);
end
if (QUERIES != 1 && QUERIES != 2 && QUERIES != 4 && QUERIES != 8) begin : gen_param_error_queries
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_engine: QUERIES=%0d unsupported, need 1, 2, 4 or 8", QUERIES);
end
if (ROUNDING != 0 && ROUNDING != 1) begin : gen_param_error_rounding
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_engine: ROUNDING=%0d unsupported, need 0 (nearest) or 1 (stochastic)", ROUNDING);
end
// (D > LANES, two memory rows, follows from the LANES check and pezo_train_fwd's N_OUT >= 2)
if (D > 65535) begin : gen_param_error_d
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_engine: D=%0d unsupported, need <= 65535 (D = weights and biases)", D);
end

// controller <-> register file
wire              start;
wire              busy;
wire              done;
wire              src_lost;
wire              step_end;
wire [31:0]       step_count;
wire [31:0]       step_cycles;
wire [31:0]       load_cycles;
// register file -> controller, datapath
wire [B_W-1:0]    batch;
wire [31:0]       steps;
wire [31:0]       skip;
wire [S_W-1:0]    shift_p;
wire [S_W-1:0]    shift_g;
wire [S_W-1:0]    shift_u;
wire              round_seed_load;
wire [31:0]       round_seed;
// controller <-> datapath
wire              load_we;
wire [SA_W-1:0]   load_row;
wire              pass;
wire              pass_plus;
wire              pass_minus;
wire              pass_update;
wire              pass_begin;
wire [Q_W-1:0]    query;
wire              round_pass;
wire              pass_end;
wire              pass_empty;
wire              wsig_clear;
wire              fwd_start;
wire              fwd_done;
wire              loss_p_capture;
wire              loss_m_capture;
wire              g_hat_capture;
// datapath -> register file
wire [LOSS_W-1:0] loss_p;
wire [LOSS_W-1:0] loss_m;
wire [G_BITS-1:0] g_hat;
wire [31:0]       wsig;
wire              fwd_busy;
wire              host_we;
wire              host_re;
wire [15:0]       host_addr;
wire [W_BITS-1:0] host_wdata;
wire [W_BITS-1:0] host_rdata;

pezo_train_regs #(
    .N_HID(N_HID), .N_HID2(N_HID2), .N_OUT(N_OUT), .LOSS(LOSS), .LANES(LANES),
    .QUERIES(Q_N), .ROUNDING(ROUNDING), .W_BITS(W_BITS), .D(D), .MAX_BATCH(MAX_BATCH), .B_W(B_W),
    .S_W(S_W), .L_MAX(L_MAX), .R_MAX(R_MAX), .LOSS_W(LOSS_W), .G_BITS(G_BITS)
) u_regs (
    .clk_i(clk_i),
    .rst_ni(rst_ni),
    .reg_addr_i(reg_addr_i),
    .reg_wdata_i(reg_wdata_i),
    .reg_we_i(reg_we_i),
    .reg_re_i(reg_re_i),
    .reg_rdata_o(reg_rdata_o),
    .start_o(start),
    .busy_i(busy),
    .done_i(done),
    .src_lost_i(src_lost),
    .step_end_i(step_end),
    .step_count_i(step_count),
    .step_cycles_i(step_cycles),
    .load_cycles_i(load_cycles),
    .batch_o(batch),
    .steps_o(steps),
    .skip_o(skip),
    .shift_p_o(shift_p),
    .shift_g_o(shift_g),
    .shift_u_o(shift_u),
    .round_seed_load_o(round_seed_load),
    .round_seed_o(round_seed),
    .loss_p_i(loss_p),
    .loss_m_i(loss_m),
    .g_hat_i(g_hat),
    .wsig_i(wsig),
    .fwd_busy_i(fwd_busy),
    .host_we_o(host_we),
    .host_re_o(host_re),
    .host_addr_o(host_addr),
    .host_wdata_o(host_wdata),
    .host_rdata_i(host_rdata),
    .setup_o(setup_o),
    .seed_o(seed_o),
    .seed_idx_o(seed_idx_o),
    .scale_o(scale_o),
    .refresh_o(refresh_o),
    .setup_busy_i(setup_busy_i),
    .src_idle_i(src_idle_i),
    .src_err_i(src_err_i)
);

pezo_train_ctrl #(
    .B_W(B_W), .SA_W(SA_W), .QUERIES(Q_N), .Q_W(Q_W)
) u_ctrl (
    .clk_i(clk_i),
    .rst_ni(rst_ni),
    .start_i(start),
    .batch_i(batch),
    .steps_i(steps),
    .skip_i(skip),
    .s_valid_i(s_valid_i),
    .s_ready_o(s_ready_o),
    .load_we_o(load_we),
    .load_row_o(load_row),
    .src_idle_i(src_idle_i),
    .src_step_o(src_step_o),
    .src_replay_o(src_replay_o),
    .pass_o(pass),
    .pass_plus_o(pass_plus),
    .pass_minus_o(pass_minus),
    .pass_update_o(pass_update),
    .pass_begin_o(pass_begin),
    .query_o(query),
    .round_pass_o(round_pass),
    .pass_end_i(pass_end),
    .pass_empty_i(pass_empty),
    .wsig_clear_o(wsig_clear),
    .fwd_start_o(fwd_start),
    .fwd_done_i(fwd_done),
    .loss_p_capture_o(loss_p_capture),
    .loss_m_capture_o(loss_m_capture),
    .g_hat_capture_o(g_hat_capture),
    .busy_o(busy),
    .done_o(done),
    .src_lost_o(src_lost),
    .step_end_o(step_end),
    .step_count_o(step_count),
    .step_cycles_o(step_cycles),
    .load_cycles_o(load_cycles)
);

pezo_train_datapath #(
    .N_IN(N_IN), .N_HID(N_HID), .N_OUT(N_OUT), .N_HID2(N_HID2), .LOSS(LOSS), .LANES(LANES),
    .Z_W(Z_W), .W_BITS(W_BITS), .W_FRAC(W_FRAC), .X_FRAC(X_FRAC), .A_BITS(A_BITS), .A_FRAC(A_FRAC),
    .G_BITS(G_BITS), .MAX_BATCH(MAX_BATCH), .SA_W(SA_W), .B_W(B_W), .ROWS(ROWS), .RA_W(RA_W),
    .S_W(S_W), .L_MAX(L_MAX), .R_MAX(R_MAX), .LOSS_W(LOSS_W),
    .QUERIES(Q_N), .Q_W(Q_W), .ROUNDING(ROUNDING)
) u_datapath (
    .clk_i(clk_i),
    .rst_ni(rst_ni),
    .load_we_i(load_we),
    .load_row_i(load_row),
    .s_pixels_i(s_pixels_i),
    .s_label_i(s_label_i),
    .pass_i(pass),
    .pass_plus_i(pass_plus),
    .pass_minus_i(pass_minus),
    .pass_update_i(pass_update),
    .pass_begin_i(pass_begin),
    .query_i(query),
    .round_pass_i(round_pass),
    .pass_end_o(pass_end),
    .pass_empty_o(pass_empty),
    .src_valid_i(src_valid_i),
    .src_data_i(src_data_i),
    .src_keep_i(src_keep_i),
    .src_last_i(src_last_i),
    .shift_p_i(shift_p),
    .shift_g_i(shift_g),
    .shift_u_i(shift_u),
    .batch_i(batch),
    .fwd_start_i(fwd_start),
    .fwd_busy_o(fwd_busy),
    .fwd_done_o(fwd_done),
    .loss_p_capture_i(loss_p_capture),
    .loss_m_capture_i(loss_m_capture),
    .g_hat_capture_i(g_hat_capture),
    .wsig_clear_i(wsig_clear),
    .loss_p_o(loss_p),
    .loss_m_o(loss_m),
    .g_hat_o(g_hat),
    .wsig_o(wsig),
    .round_seed_load_i(round_seed_load),
    .round_seed_i(round_seed),
    .host_we_i(host_we),
    .host_re_i(host_re),
    .host_addr_i(host_addr),
    .host_wdata_i(host_wdata),
    .host_rdata_o(host_rdata)
);

assign busy_o = busy;
assign step_done_o = step_end;
assign src_ready_o = pass;

endmodule

`default_nettype wire
