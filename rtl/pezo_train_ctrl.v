// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// pezo_train_ctrl: controller of pezo_train_engine, one ZO step after the other.
//
//   IDLE -START-> [SKIP_REQ -> SKIP]* (SKIP x QUERIES times) -> LOAD
//        -> [P_REQ -> P_PASS -> FWD_P -> M_REQ -> M_PASS -> FWD_M -> GHAT]* (QUERIES times)
//        -> U_REQ -> U_PASS -> END -> LOAD ... -> IDLE
// Every query of a step is a new perturbation (step_i) on the same samples; query_o counts
// them (also in SKIP, so a skipped step fast-forwards QUERIES perturbations).
// A *_REQ state waits for an idle source, then pulses step_i (SKIP, P) or replay_i (M, U);
// a pass ends at the beat marked last. A pass that receives nothing although the source is
// idle again (it refused the request) ends the run with src_lost_o.

module pezo_train_ctrl #(
    // Width of BATCH and of the sample-buffer address.
    parameter integer B_W = 6,
    parameter integer SA_W = 5,
    // Queries per step (a power of two) and the width of their index.
    parameter integer QUERIES = 1,
    parameter integer Q_W = 1
) (
    input  wire                clk_i,
    input  wire                rst_ni,

    // Run request (accepted START) and its configuration.
    input  wire                start_i,
    input  wire [B_W-1:0]      batch_i,
    input  wire [31:0]         steps_i,
    input  wire [31:0]         skip_i,

    // Sample stream: LOAD writes one beat per sample into the sample buffer.
    input  wire                s_valid_i,
    output wire                s_ready_o,
    output wire                load_we_o,
    output wire [SA_W-1:0]     load_row_o,

    // Perturbation source control.
    input  wire                src_idle_i,
    output wire                src_step_o,
    output wire                src_replay_o,

    // Passes over the perturbation stream (datapath).
    output wire                pass_o,
    output wire                pass_plus_o,
    output wire                pass_minus_o,
    output wire                pass_update_o,
    output wire                pass_begin_o,
    output wire [Q_W-1:0]      query_o,
    output wire                round_pass_o,  // the pass consumes rounding words
    input  wire                pass_end_i,
    input  wire                pass_empty_i,
    output wire                wsig_clear_o,

    // Forward engine and the step's results (datapath).
    output wire                fwd_start_o,
    input  wire                fwd_done_i,
    output wire                loss_p_capture_o,
    output wire                loss_m_capture_o,
    output wire                g_hat_capture_o,

    // State for the register file.
    output wire                busy_o,
    output wire                done_o,
    output wire                src_lost_o,
    output wire                step_end_o,
    output wire [31:0]         step_count_o,
    output wire [31:0]         step_cycles_o,
    output wire [31:0]         load_cycles_o
);

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

// clocks after a request in which an idle source has not yet taken it up
localparam [1:0] REQ_GUARD = 2'd2;

reg  [3:0]       state_q, state_d;
reg              done_q, done_d;
reg  [31:0]      steps_left_q, steps_left_d;  // training steps left in this run
reg  [31:0]      skips_left_q, skips_left_d;
reg  [31:0]      step_count_q, step_count_d;  // steps completed (trained or skipped)
reg  [B_W-1:0]   loaded_q, loaded_d;          // samples loaded this step
reg  [1:0]       req_guard_q, req_guard_d;
reg              fwd_start_q, fwd_start_d;
reg  [31:0]      step_cycles_q, step_cycles_d;
reg  [31:0]      load_cycles_q, load_cycles_d;
reg  [Q_W-1:0]   query_q, query_d;            // query of the step (or skipped step)

localparam [Q_W-1:0] Q_LAST = Q_W'(QUERIES - 1);
wire last_query = (query_q == Q_LAST);

wire busy = (state_q != C_IDLE);
wire in_pass = (state_q == C_SKIP) || (state_q == C_P_PASS) || (state_q == C_M_PASS) ||
               (state_q == C_U_PASS);
wire in_req = (state_q == C_SKIP_REQ) || (state_q == C_P_REQ) || (state_q == C_M_REQ) ||
              (state_q == C_U_REQ);
wire req_fire = in_req && src_idle_i;
wire pass_lost = in_pass && req_guard_q == 2'd0 && src_idle_i && pass_empty_i;
wire load_beat = (state_q == C_LOAD) && s_valid_i;
wire last_sample = (loaded_q + 1'b1 == batch_i);

// ---------------------------------------------------------------- next state
always @* begin
    state_d = state_q;
    case (state_q)
        C_IDLE: if (start_i) state_d = (skip_i != 32'd0) ? C_SKIP_REQ : C_LOAD;
        C_SKIP_REQ: if (req_fire) state_d = C_SKIP;
        C_SKIP: begin
            if (pass_lost) state_d = C_IDLE;
            else if (pass_end_i) state_d = (last_query && skips_left_q == 32'd1) ? C_LOAD : C_SKIP_REQ;
        end
        C_LOAD: if (load_beat && last_sample) state_d = C_P_REQ;
        C_P_REQ: if (req_fire) state_d = C_P_PASS;
        C_P_PASS: begin
            if (pass_lost) state_d = C_IDLE;
            else if (pass_end_i) state_d = C_FWD_P;
        end
        C_FWD_P: if (fwd_done_i) state_d = C_M_REQ;
        C_M_REQ: if (req_fire) state_d = C_M_PASS;
        C_M_PASS: begin
            if (pass_lost) state_d = C_IDLE;
            else if (pass_end_i) state_d = C_FWD_M;
        end
        C_FWD_M: if (fwd_done_i) state_d = C_GHAT;
        C_GHAT: state_d = last_query ? C_U_REQ : C_P_REQ;
        C_U_REQ: if (req_fire) state_d = C_U_PASS;
        C_U_PASS: begin
            if (pass_lost) state_d = C_IDLE;
            else if (pass_end_i) state_d = C_END;
        end
        C_END: state_d = (steps_left_q == 32'd1) ? C_IDLE : C_LOAD;
        default: state_d = C_IDLE;
    endcase
end

wire skip_pass_done = (state_q == C_SKIP) && !pass_lost && pass_end_i;
wire skip_done = skip_pass_done && last_query;
wire step_end = (state_q == C_END);

// ---------------------------------------------------------------- counters
always @* begin
    done_d = done_q;
    steps_left_d = steps_left_q;
    skips_left_d = skips_left_q;
    step_count_d = step_count_q;
    loaded_d = loaded_q;
    req_guard_d = (req_guard_q != 2'd0) ? req_guard_q - 1'b1 : req_guard_q;
    fwd_start_d = 1'b0;
    step_cycles_d = step_cycles_q + 1'b1;
    load_cycles_d = load_cycles_q;
    query_d = query_q;
    if (skip_pass_done || state_q == C_GHAT) begin
        query_d = last_query ? {Q_W{1'b0}} : query_q + 1'b1;
    end

    if (state_q == C_IDLE && start_i) begin
        done_d = 1'b0;
        steps_left_d = steps_i;
        skips_left_d = skip_i;
        loaded_d = {B_W{1'b0}};
        step_cycles_d = 32'd0;
        query_d = {Q_W{1'b0}};
    end
    if (load_beat) begin
        loaded_d = loaded_q + 1'b1;
        if (last_sample) load_cycles_d = step_cycles_q;
    end
    if (req_fire) begin
        req_guard_d = REQ_GUARD;
    end
    if (skip_done) begin
        step_count_d = step_count_q + 1'b1;
        skips_left_d = skips_left_q - 1'b1;
        step_cycles_d = 32'd0;
    end
    if (!pass_lost && pass_end_i && (state_q == C_P_PASS || state_q == C_M_PASS)) begin
        fwd_start_d = 1'b1;
    end
    if (step_end) begin
        step_count_d = step_count_q + 1'b1;
        steps_left_d = steps_left_q - 1'b1;
        loaded_d = {B_W{1'b0}};
        step_cycles_d = 32'd0;
        if (steps_left_q == 32'd1) done_d = 1'b1;
    end
end

always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
        state_q <= C_IDLE;
        done_q <= 1'b0;
        steps_left_q <= 32'd0;
        skips_left_q <= 32'd0;
        step_count_q <= 32'd0;
        loaded_q <= {B_W{1'b0}};
        req_guard_q <= 2'd0;
        fwd_start_q <= 1'b0;
        step_cycles_q <= 32'd0;
        load_cycles_q <= 32'd0;
        query_q <= {Q_W{1'b0}};
    end else begin
        state_q <= state_d;
        done_q <= done_d;
        steps_left_q <= steps_left_d;
        skips_left_q <= skips_left_d;
        step_count_q <= step_count_d;
        loaded_q <= loaded_d;
        req_guard_q <= req_guard_d;
        fwd_start_q <= fwd_start_d;
        step_cycles_q <= step_cycles_d;
        load_cycles_q <= load_cycles_d;
        query_q <= query_d;
    end
end

assign s_ready_o = (state_q == C_LOAD);
assign load_we_o = load_beat;
assign load_row_o = loaded_q[SA_W-1:0];
assign src_step_o = req_fire && (state_q == C_SKIP_REQ || state_q == C_P_REQ);
assign src_replay_o = req_fire && (state_q == C_M_REQ || state_q == C_U_REQ);
assign pass_o = in_pass;
assign pass_plus_o = (state_q == C_P_PASS);
assign pass_minus_o = (state_q == C_M_PASS);
assign pass_update_o = (state_q == C_U_PASS);
assign pass_begin_o = req_fire;
assign query_o = query_q;
assign round_pass_o = (state_q == C_U_PASS) || (state_q == C_SKIP && last_query);
assign wsig_clear_o = req_fire && (state_q == C_U_REQ);
assign fwd_start_o = fwd_start_q;
assign loss_p_capture_o = (state_q == C_FWD_P) && fwd_done_i;
assign loss_m_capture_o = (state_q == C_FWD_M) && fwd_done_i;
assign g_hat_capture_o = (state_q == C_GHAT);
assign busy_o = busy;
assign done_o = done_q;
assign src_lost_o = pass_lost;
assign step_end_o = step_end;
assign step_count_o = step_count_q;
assign step_cycles_o = step_cycles_q;
assign load_cycles_o = load_cycles_q;

endmodule

`default_nettype wire
