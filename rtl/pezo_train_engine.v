// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// pezo_train_engine: ZO-SGD training engine (registers, weight memory, passes, forward, update).
//
// One ZO step, run by the controller on its own (docs/training-engine.md):
//   LOAD    accept BATCH samples from the s_* stream into the sample buffer
//   P_PASS  step_i to the perturbation source; pbuf = sat(theta + round_shift(z, s_p))
//   FWD_P   forward over the batch with pbuf: S+ (pezo_train_fwd, pezo_train_loss)
//   M_PASS  replay_i; pbuf = sat(theta - round_shift(z, s_p))
//   FWD_M   forward: S-
//   GHAT    g = sat(round_shift(S+ - S-, s_g), G_BITS)
//   U_PASS  replay_i; theta = sat(theta - round_shift(g * z, s_u)); weight signature
// Bit-exact model: ref_model/step.py fixed_step (q = 1, mse, round to nearest).
// The perturbation source speaks docs/perturbation-interface.md with the same LANES.

module pezo_train_engine #(
    // MLP layer sizes; N_IN and N_HID multiples of LANES, N_OUT 2..16.
    parameter integer N_IN = 64,
    parameter integer N_HID = 16,
    parameter integer N_OUT = 10,
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
    parameter integer R_MAX = 47
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

localparam integer D = N_HID * (N_IN + 1) + N_OUT * (N_HID + 1);
localparam integer ROWS = (D + LANES - 1) / LANES;
localparam integer RA_W = $clog2(ROWS);
localparam integer LG = (LANES > 1) ? $clog2(LANES) : 1;
localparam integer SA_W = $clog2(MAX_BATCH);
localparam integer B_W = SA_W + 1;
localparam integer LOSS_W = 48;
localparam integer S_W = 8;
localparam integer SAMPLE_W = N_IN * 8 + 4;

// check configuration
initial begin
    if (LANES < 1 || (LANES & (LANES - 1)) != 0 || N_IN % LANES != 0 || N_HID % LANES != 0) begin
        $error("pezo_train_engine: LANES=%0d must be a power of two dividing N_IN and N_HID (instance %m)",
               LANES);
        $finish;
    end
    if (MAX_BATCH < 2 || MAX_BATCH > 1024 || (MAX_BATCH & (MAX_BATCH - 1)) != 0) begin
        $error("pezo_train_engine: MAX_BATCH=%0d must be a power of two in 2..1024 (instance %m)",
               MAX_BATCH);
        $finish;
    end
    if (L_MAX < 0 || L_MAX > 32 || R_MAX < 1 || R_MAX > 63 || ROWS < 2 || D > 65535) begin
        $error("pezo_train_engine: L_MAX=%0d R_MAX=%0d or d=%0d unsupported (instance %m)",
               L_MAX, R_MAX, D);
        $finish;
    end
end

// ---------------------------------------------------------------- register map
localparam [7:0] A_ID = 8'h00;
localparam [7:0] A_CTRL = 8'h01;       // W: bit0 START, bit1 SETUP, bit2 CLEAR errors
localparam [7:0] A_STATUS = 8'h02;
localparam [7:0] A_BATCH = 8'h03;
localparam [7:0] A_STEPS = 8'h04;
localparam [7:0] A_SKIP = 8'h05;
localparam [7:0] A_SHIFT_P = 8'h06;
localparam [7:0] A_SHIFT_G = 8'h07;
localparam [7:0] A_SHIFT_U = 8'h08;
localparam [7:0] A_SEED = 8'h09;
localparam [7:0] A_SEED_IDX = 8'h0a;
localparam [7:0] A_SCALE = 8'h0b;
localparam [7:0] A_REFRESH = 8'h0c;
localparam [7:0] A_STEP_COUNT = 8'h10;
localparam [7:0] A_LOSS_P_LO = 8'h11;
localparam [7:0] A_LOSS_P_HI = 8'h12;
localparam [7:0] A_LOSS_M_LO = 8'h13;
localparam [7:0] A_LOSS_M_HI = 8'h14;
localparam [7:0] A_G_HAT = 8'h15;
localparam [7:0] A_WSIG = 8'h16;
localparam [7:0] A_STEP_CYCLES = 8'h17;
localparam [7:0] A_LOAD_CYCLES = 8'h18;
localparam [7:0] A_WADDR = 8'h20;
localparam [7:0] A_WDATA = 8'h21;
localparam [7:0] A_D = 8'h22;
localparam [7:0] A_PARAMS = 8'h23;
localparam [31:0] ID_VALUE = 32'h5e20_0001;

localparam integer E_BATCH = 0;
localparam integer E_SHIFT = 1;
localparam integer E_STEPS = 2;
localparam integer E_BUSY = 3;
localparam integer E_SRC = 4;
localparam integer E_ADDR = 5;

// ---------------------------------------------------------------- controller states
localparam [3:0] C_IDLE = 4'd0;
localparam [3:0] C_SKIP_REQ = 4'd1;
localparam [3:0] C_SKIP = 4'd2;
localparam [3:0] C_LOAD = 4'd3;
localparam [3:0] C_P_REQ = 4'd4;
localparam [3:0] C_P_PASS = 4'd5;
localparam [3:0] C_FWD_P = 4'd6;
localparam [3:0] C_M_REQ = 4'd7;
localparam [3:0] C_M_PASS = 4'd8;
localparam [3:0] C_FWD_M = 4'd9;
localparam [3:0] C_GHAT = 4'd10;
localparam [3:0] C_U_REQ = 4'd11;
localparam [3:0] C_U_PASS = 4'd12;
localparam [3:0] C_END = 4'd13;

localparam [31:0] D_32 = D;
localparam [31:0] MAXB_32 = MAX_BATCH;
localparam [31:0] LANES_32 = LANES;
localparam signed [31:0] S_LO = -L_MAX;
localparam signed [31:0] S_HI = R_MAX;

reg  [3:0]          state_q, state_d;
reg  [B_W-1:0]      batch_q, batch_d;
reg  [31:0]         steps_q, steps_d;
reg  [31:0]         skip_q, skip_d;
reg  [S_W-1:0]      sp_q, sp_d;
reg  [S_W-1:0]      sg_q, sg_d;
reg  [S_W-1:0]      su_q, su_d;
reg  [31:0]         seed_q, seed_d;
reg  [7:0]          seed_idx_q, seed_idx_d;
reg  [31:0]         scale_q, scale_d;
reg  [15:0]         refresh_q, refresh_d;
reg  [15:0]         waddr_q, waddr_d;
reg  [5:0]          err_q, err_d;
reg                 done_q, done_d;
reg                 setup_q, setup_d;
reg  [31:0]         left_q, left_d;          // training steps left in this run
reg  [31:0]         skip_left_q, skip_left_d;
reg  [31:0]         count_q, count_d;        // steps completed (trained or skipped)
reg  [B_W-1:0]      ld_q, ld_d;              // samples loaded this step
reg  [RA_W:0]       beat_q, beat_d;          // beats accepted in this pass
reg  [1:0]          guard_q, guard_d;
reg                 fwd_go_q, fwd_go_d;
reg  [LOSS_W-1:0]   sp_sum_q, sp_sum_d;      // S+ of the step in flight
reg  [LOSS_W-1:0]   sm_sum_q, sm_sum_d;
reg  [G_BITS-1:0]   g_q, g_d;
reg  [31:0]         sig_q, sig_d;
reg  [31:0]         cyc_q, cyc_d;
reg  [31:0]         ldcyc_q, ldcyc_d;
// read-out of the last completed step
reg  [LOSS_W-1:0]   r_sp_q, r_sp_d;
reg  [LOSS_W-1:0]   r_sm_q, r_sm_d;
reg  [G_BITS-1:0]   r_g_q, r_g_d;
reg  [31:0]         r_sig_q, r_sig_d;
reg  [31:0]         r_cyc_q, r_cyc_d;
reg  [31:0]         r_ldcyc_q, r_ldcyc_d;

// pass pipeline: stage 1 holds the accepted beat while theta's row is read
reg                 sv_q;
reg                 slast_q;
reg  [RA_W-1:0]     srow_q;
reg  [LANES*Z_W-1:0] sz_q;
reg  [LANES-1:0]    skeep_q;

wire busy = (state_q != C_IDLE);
wire in_pass = (state_q == C_SKIP) || (state_q == C_P_PASS) || (state_q == C_M_PASS) ||
               (state_q == C_U_PASS);
wire accept = in_pass && src_valid_i;
wire pass_end = sv_q && slast_q;
wire pass_lost = in_pass && guard_q == 2'd0 && src_idle_i && beat_q == 0 && !sv_q;
wire req_state = (state_q == C_SKIP_REQ) || (state_q == C_P_REQ) || (state_q == C_M_REQ) ||
                 (state_q == C_U_REQ);
wire req_fire = req_state && src_idle_i;
wire load_beat = (state_q == C_LOAD) && s_valid_i;

// forward engine
wire               fwd_done;
wire [LOSS_W-1:0]  fwd_loss;
wire [SA_W-1:0]    x_addr;
wire               x_re;
wire [SAMPLE_W-1:0] x_rdata;
wire [RA_W-1:0]    pb_raddr;
wire               pb_re;
wire [LANES*W_BITS-1:0] pb_rdata;
wire               fwd_busy;

// g_hat unit
wire signed [LOSS_W:0] s_diff = $signed({1'b0, sp_sum_q}) - $signed({1'b0, sm_sum_q});
wire signed [G_BITS-1:0] g_new;

pezo_train_rshift #(
    .IN_W(LOSS_W + 1), .OUT_W(G_BITS), .S_W(S_W), .L_MAX(L_MAX), .R_MAX(R_MAX)
) u_ghat (
    .x_i(s_diff), .s_i(sg_q), .y_o(g_new)
);

// register bus decode
wire [31:0] wd = reg_wdata_i;
wire wr = reg_we_i;
wire wr_ctrl = wr && reg_addr_i == A_CTRL;
wire start_req = wr_ctrl && wd[0];
wire setup_req = wr_ctrl && wd[1];
wire shift_ok = $signed(wd) >= S_LO && $signed(wd) <= S_HI;
wire host_wr_w = wr && !busy && reg_addr_i == A_WDATA && {16'd0, waddr_q} < D_32;
wire host_rd_w = reg_re_i && !busy && reg_addr_i == A_WDATA && {16'd0, waddr_q} < D_32;
wire start_go = start_req && !busy && src_idle_i && !setup_busy_i;

always @* begin
    state_d = state_q;
    batch_d = batch_q;
    steps_d = steps_q;
    skip_d = skip_q;
    sp_d = sp_q;
    sg_d = sg_q;
    su_d = su_q;
    seed_d = seed_q;
    seed_idx_d = seed_idx_q;
    scale_d = scale_q;
    refresh_d = refresh_q;
    waddr_d = waddr_q;
    err_d = err_q;
    done_d = done_q;
    setup_d = 1'b0;
    left_d = left_q;
    skip_left_d = skip_left_q;
    count_d = count_q;
    ld_d = ld_q;
    beat_d = beat_q;
    guard_d = (guard_q != 2'd0) ? guard_q - 1'b1 : guard_q;
    fwd_go_d = 1'b0;
    sp_sum_d = sp_sum_q;
    sm_sum_d = sm_sum_q;
    g_d = g_q;
    sig_d = sig_q;
    cyc_d = cyc_q + 1'b1;
    ldcyc_d = ldcyc_q;
    r_sp_d = r_sp_q;
    r_sm_d = r_sm_q;
    r_g_d = r_g_q;
    r_sig_d = r_sig_q;
    r_cyc_d = r_cyc_q;
    r_ldcyc_d = r_ldcyc_q;

    // ------------------------------------------------------------ host writes
    if (wr && busy && reg_addr_i != A_CTRL) begin
        err_d[E_BUSY] = 1'b1;
    end else if (wr) begin
        case (reg_addr_i)
            A_BATCH: begin
                if (wd >= 32'd1 && wd <= MAXB_32) batch_d = wd[B_W-1:0];
                else err_d[E_BATCH] = 1'b1;
            end
            A_STEPS: begin
                if (wd != 32'd0) steps_d = wd;
                else err_d[E_STEPS] = 1'b1;
            end
            A_SKIP: skip_d = wd;
            A_SHIFT_P: if (shift_ok) sp_d = wd[S_W-1:0]; else err_d[E_SHIFT] = 1'b1;
            A_SHIFT_G: if (shift_ok) sg_d = wd[S_W-1:0]; else err_d[E_SHIFT] = 1'b1;
            A_SHIFT_U: if (shift_ok) su_d = wd[S_W-1:0]; else err_d[E_SHIFT] = 1'b1;
            A_SEED: seed_d = wd;
            A_SEED_IDX: seed_idx_d = wd[7:0];
            A_SCALE: scale_d = wd;
            A_REFRESH: refresh_d = wd[15:0];
            A_WADDR: begin
                if (wd < D_32) waddr_d = wd[15:0];
                else err_d[E_ADDR] = 1'b1;
            end
            A_WDATA: begin
                if (host_wr_w) waddr_d = waddr_q + 1'b1;
                else err_d[E_ADDR] = 1'b1;
            end
            default: ;
        endcase
    end
    if (reg_re_i && reg_addr_i == A_WDATA) begin
        if (host_rd_w) waddr_d = waddr_q + 1'b1;
        else err_d[busy ? E_BUSY : E_ADDR] = 1'b1;
    end
    if (wr_ctrl && wd[2]) begin
        err_d = 6'd0;
    end
    if (setup_req) begin
        if (busy || !src_idle_i) err_d[E_BUSY] = 1'b1;
        else setup_d = 1'b1;
    end
    if (start_req && !start_go) begin
        err_d[E_BUSY] = 1'b1;
    end

    // ------------------------------------------------------------ controller
    case (state_q)
        C_IDLE: begin
            if (start_go) begin
                err_d = 6'd0;
                done_d = 1'b0;
                left_d = steps_q;
                skip_left_d = skip_q;
                skip_d = 32'd0;
                ld_d = {B_W{1'b0}};
                cyc_d = 32'd0;
                state_d = (skip_q != 32'd0) ? C_SKIP_REQ : C_LOAD;
            end
        end
        C_LOAD: begin
            if (load_beat) begin
                ld_d = ld_q + 1'b1;
                if (ld_q + 1'b1 == batch_q) begin
                    state_d = C_P_REQ;
                    ldcyc_d = cyc_q;
                end
            end
        end
        C_SKIP_REQ, C_P_REQ, C_M_REQ, C_U_REQ: begin
            if (req_fire) begin
                state_d = state_q + 1'b1;
                beat_d = {(RA_W + 1){1'b0}};
                guard_d = 2'd2;
                if (state_q == C_U_REQ) sig_d = 32'd0;
            end
        end
        C_FWD_P, C_FWD_M: begin
            if (fwd_done) begin
                if (state_q == C_FWD_P) begin
                    sp_sum_d = fwd_loss;
                    state_d = C_M_REQ;
                end else begin
                    sm_sum_d = fwd_loss;
                    state_d = C_GHAT;
                end
            end
        end
        C_GHAT: begin
            g_d = g_new;
            state_d = C_U_REQ;
        end
        C_END: begin
            count_d = count_q + 1'b1;
            r_sp_d = sp_sum_q;
            r_sm_d = sm_sum_q;
            r_g_d = g_q;
            r_sig_d = sig_q;
            r_cyc_d = cyc_q;
            r_ldcyc_d = ldcyc_q;
            left_d = left_q - 1'b1;
            ld_d = {B_W{1'b0}};
            cyc_d = 32'd0;
            if (left_q == 32'd1) begin
                state_d = C_IDLE;
                done_d = 1'b1;
            end else begin
                state_d = C_LOAD;
            end
        end
        default: begin  // the four passes
            if (accept) beat_d = beat_q + 1'b1;
            if (pass_lost) begin
                err_d[E_SRC] = 1'b1;  // the source refused or ignored the request
                state_d = C_IDLE;
            end else if (pass_end) begin
                case (state_q)
                    C_SKIP: begin
                        count_d = count_q + 1'b1;
                        skip_left_d = skip_left_q - 1'b1;
                        state_d = (skip_left_q == 32'd1) ? C_LOAD : C_SKIP_REQ;
                        cyc_d = 32'd0;
                    end
                    C_P_PASS: begin
                        state_d = C_FWD_P;
                        fwd_go_d = 1'b1;
                    end
                    C_M_PASS: begin
                        state_d = C_FWD_M;
                        fwd_go_d = 1'b1;
                    end
                    default: state_d = C_END;  // C_U_PASS
                endcase
            end
        end
    endcase
end

// ---------------------------------------------------------------- pass datapath
wire [LANES*W_BITS-1:0] th_rdata;
reg  [LANES*W_BITS-1:0] lane_out;
wire [LANES*W_BITS-1:0] lane_res;
wire [1:0] lane_mode = (state_q == C_P_PASS) ? 2'd0 : (state_q == C_M_PASS) ? 2'd1 : 2'd2;
reg  [31:0] sig_add;
integer l;

genvar gl;
generate
    for (gl = 0; gl < LANES; gl = gl + 1) begin : gen_lane
        pezo_train_lane #(
            .W_BITS(W_BITS), .Z_W(Z_W), .G_BITS(G_BITS), .S_W(S_W), .L_MAX(L_MAX), .R_MAX(R_MAX)
        ) u_lane (
            .mode_i(lane_mode),
            .theta_i(th_rdata[gl * W_BITS +: W_BITS]),
            .z_i(sz_q[gl * Z_W +: Z_W]),
            .s_p_i(sp_q),
            .g_i(g_q),
            .s_u_i(su_q),
            .theta_o(lane_res[gl * W_BITS +: W_BITS])
        );
    end
endgenerate

// weight signature of the updated theta: sum_j theta_j * (j + 1) mod 2^32
always @* begin
    sig_add = 32'd0;
    for (l = 0; l < LANES; l = l + 1) begin
        if (skeep_q[l]) begin
            sig_add = sig_add + 32'($signed(lane_res[l * W_BITS +: W_BITS])) *
                      (32'(srow_q) * LANES_32 + 32'(l) + 32'd1);
        end
    end
    lane_out = lane_res;
end

wire upd_write = sv_q && (state_q == C_U_PASS);
wire pb_write = sv_q && ((state_q == C_P_PASS) || (state_q == C_M_PASS));

always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
        sv_q <= 1'b0;
        slast_q <= 1'b0;
        srow_q <= {RA_W{1'b0}};
        sz_q <= {(LANES * Z_W){1'b0}};
        skeep_q <= {LANES{1'b0}};
    end else begin
        sv_q <= accept;
        if (accept) begin
            slast_q <= src_last_i;
            srow_q <= beat_q[RA_W-1:0];
            sz_q <= src_data_i;
            skeep_q <= src_keep_i;
        end
    end
end

// ---------------------------------------------------------------- memories
wire [RA_W-1:0] host_row = RA_W'(waddr_q >> LG);
wire [LG-1:0]   host_lane = LG'(waddr_q);
reg             rsel_w_q;
reg  [LG-1:0]   rlane_q;
reg  [31:0]     rdata_q;
wire [LANES-1:0] host_mask = {{(LANES - 1){1'b0}}, 1'b1} << host_lane;

pezo_train_ram #(
    .LANES(LANES), .WORD_W(W_BITS), .ROWS(ROWS), .ADDR_W(RA_W)
) u_theta (
    .clk_i(clk_i),
    .we_i(upd_write || host_wr_w),
    .wmask_i(upd_write ? skeep_q : host_mask),
    .waddr_i(upd_write ? srow_q : host_row),
    .wdata_i(upd_write ? lane_out : {LANES{wd[W_BITS-1:0]}}),
    .re_i(accept || host_rd_w),
    .raddr_i(accept ? beat_q[RA_W-1:0] : host_row),
    .rdata_o(th_rdata)
);

pezo_train_ram #(
    .LANES(LANES), .WORD_W(W_BITS), .ROWS(ROWS), .ADDR_W(RA_W)
) u_pbuf (
    .clk_i(clk_i),
    .we_i(pb_write),
    .wmask_i({LANES{1'b1}}),
    .waddr_i(srow_q),
    .wdata_i(lane_out),
    .re_i(pb_re),
    .raddr_i(pb_raddr),
    .rdata_o(pb_rdata)
);

pezo_train_ram #(
    .LANES(1), .WORD_W(SAMPLE_W), .ROWS(MAX_BATCH), .ADDR_W(SA_W)
) u_samples (
    .clk_i(clk_i),
    .we_i(load_beat),
    .wmask_i(1'b1),
    .waddr_i(ld_q[SA_W-1:0]),
    .wdata_i({s_label_i, s_pixels_i}),
    .re_i(x_re),
    .raddr_i(x_addr),
    .rdata_o(x_rdata)
);

pezo_train_fwd #(
    .N_IN(N_IN), .N_HID(N_HID), .N_OUT(N_OUT), .LANES(LANES),
    .W_BITS(W_BITS), .W_FRAC(W_FRAC), .X_FRAC(X_FRAC), .A_BITS(A_BITS), .A_FRAC(A_FRAC),
    .PIX_W(8), .SA_W(SA_W), .B_W(B_W), .RA_W(RA_W), .LOSS_W(LOSS_W)
) u_fwd (
    .clk_i(clk_i),
    .rst_ni(rst_ni),
    .start_i(fwd_go_q),
    .batch_i(batch_q),
    .busy_o(fwd_busy),
    .done_o(fwd_done),
    .loss_o(fwd_loss),
    .x_addr_o(x_addr),
    .x_re_o(x_re),
    .x_rdata_i(x_rdata),
    .w_addr_o(pb_raddr),
    .w_re_o(pb_re),
    .w_rdata_i(pb_rdata)
);

// ---------------------------------------------------------------- register read-out
wire [31:0] status = {18'd0, err_q, 2'd0, fwd_busy, src_err_i, setup_busy_i, src_idle_i, done_q, busy};

always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
        rsel_w_q <= 1'b0;
        rlane_q <= {LG{1'b0}};
        rdata_q <= 32'd0;
    end else begin
        rsel_w_q <= host_rd_w;
        rlane_q <= host_lane;
        if (reg_re_i) begin
            case (reg_addr_i)
                A_ID: rdata_q <= ID_VALUE;
                A_STATUS: rdata_q <= status;
                A_BATCH: rdata_q <= 32'(batch_q);
                A_STEPS: rdata_q <= steps_q;
                A_SKIP: rdata_q <= skip_q;
                A_SHIFT_P: rdata_q <= 32'($signed(sp_q));
                A_SHIFT_G: rdata_q <= 32'($signed(sg_q));
                A_SHIFT_U: rdata_q <= 32'($signed(su_q));
                A_SEED: rdata_q <= seed_q;
                A_SEED_IDX: rdata_q <= 32'(seed_idx_q);
                A_SCALE: rdata_q <= scale_q;
                A_REFRESH: rdata_q <= 32'(refresh_q);
                A_STEP_COUNT: rdata_q <= count_q;
                A_LOSS_P_LO: rdata_q <= r_sp_q[31:0];
                A_LOSS_P_HI: rdata_q <= 32'(r_sp_q[LOSS_W-1:32]);
                A_LOSS_M_LO: rdata_q <= r_sm_q[31:0];
                A_LOSS_M_HI: rdata_q <= 32'(r_sm_q[LOSS_W-1:32]);
                A_G_HAT: rdata_q <= 32'($signed(r_g_q));
                A_WSIG: rdata_q <= r_sig_q;
                A_STEP_CYCLES: rdata_q <= r_cyc_q;
                A_LOAD_CYCLES: rdata_q <= r_ldcyc_q;
                A_WADDR: rdata_q <= 32'(waddr_q);
                A_D: rdata_q <= D_32;
                A_PARAMS: rdata_q <= {8'(LANES), 8'(N_HID), 16'(MAX_BATCH)};
                default: rdata_q <= 32'd0;
            endcase
        end
    end
end

wire signed [W_BITS-1:0] host_word = $signed(th_rdata[32'(rlane_q) * W_BITS +: W_BITS]);
assign reg_rdata_o = rsel_w_q ? 32'(host_word) : rdata_q;

// ---------------------------------------------------------------- state registers
always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
        state_q <= C_IDLE;
        batch_q <= B_W'(1);
        steps_q <= 32'd1;
        skip_q <= 32'd0;
        sp_q <= {S_W{1'b0}};
        sg_q <= {S_W{1'b0}};
        su_q <= {S_W{1'b0}};
        seed_q <= 32'd0;
        seed_idx_q <= 8'd0;
        scale_q <= 32'd0;
        refresh_q <= 16'd0;
        waddr_q <= 16'd0;
        err_q <= 6'd0;
        done_q <= 1'b0;
        setup_q <= 1'b0;
        left_q <= 32'd0;
        skip_left_q <= 32'd0;
        count_q <= 32'd0;
        ld_q <= {B_W{1'b0}};
        beat_q <= {(RA_W + 1){1'b0}};
        guard_q <= 2'd0;
        fwd_go_q <= 1'b0;
        sp_sum_q <= {LOSS_W{1'b0}};
        sm_sum_q <= {LOSS_W{1'b0}};
        g_q <= {G_BITS{1'b0}};
        sig_q <= 32'd0;
        cyc_q <= 32'd0;
        ldcyc_q <= 32'd0;
        r_sp_q <= {LOSS_W{1'b0}};
        r_sm_q <= {LOSS_W{1'b0}};
        r_g_q <= {G_BITS{1'b0}};
        r_sig_q <= 32'd0;
        r_cyc_q <= 32'd0;
        r_ldcyc_q <= 32'd0;
    end else begin
        state_q <= state_d;
        batch_q <= batch_d;
        steps_q <= steps_d;
        skip_q <= skip_d;
        sp_q <= sp_d;
        sg_q <= sg_d;
        su_q <= su_d;
        seed_q <= seed_d;
        seed_idx_q <= seed_idx_d;
        scale_q <= scale_d;
        refresh_q <= refresh_d;
        waddr_q <= waddr_d;
        err_q <= err_d;
        done_q <= done_d;
        setup_q <= setup_d;
        left_q <= left_d;
        skip_left_q <= skip_left_d;
        count_q <= count_d;
        ld_q <= ld_d;
        beat_q <= beat_d;
        guard_q <= guard_d;
        fwd_go_q <= fwd_go_d;
        sp_sum_q <= sp_sum_d;
        sm_sum_q <= sm_sum_d;
        g_q <= g_d;
        sig_q <= upd_write ? sig_q + sig_add : sig_d;
        cyc_q <= cyc_d;
        ldcyc_q <= ldcyc_d;
        r_sp_q <= r_sp_d;
        r_sm_q <= r_sm_d;
        r_g_q <= r_g_d;
        r_sig_q <= r_sig_d;
        r_cyc_q <= r_cyc_d;
        r_ldcyc_q <= r_ldcyc_d;
    end
end

assign s_ready_o = (state_q == C_LOAD);
assign busy_o = busy;
assign step_done_o = (state_q == C_END);
assign src_step_o = req_fire && (state_q == C_SKIP_REQ || state_q == C_P_REQ);
assign src_replay_o = req_fire && (state_q == C_M_REQ || state_q == C_U_REQ);
assign src_ready_o = in_pass;
assign setup_o = setup_q;
assign seed_o = seed_q;
assign seed_idx_o = seed_idx_q;
assign scale_o = scale_q;
assign refresh_o = refresh_q;

endmodule

`default_nettype wire
