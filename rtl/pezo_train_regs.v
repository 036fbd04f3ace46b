// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// pezo_train_regs: register file of pezo_train_engine (map: rtl/pezo_train_regmap.vh).
//
// Host writes are checked here (range, busy) and set the sticky STATUS error bits; START and
// SETUP requests go out as pulses; the read-only registers of the last step are latched at
// step_end_i. Read data is registered: reg_rdata_o is valid the clock after reg_re_i.

module pezo_train_regs #(
    // Reported in PARAMS and SHAPE.
    parameter integer N_HID = 16,
    parameter integer N_HID2 = 0,
    parameter integer N_OUT = 10,
    parameter integer LOSS = 0,
    parameter integer LANES = 4,
    // Reported in PARAMS2.
    parameter integer QUERIES = 1,
    parameter integer ROUNDING = 0,
    // Weight width (WDATA word).
    parameter integer W_BITS = 16,
    // Number of weights d: WADDR must stay below it.
    parameter integer D = 610,
    // Largest BATCH and the width of the stored BATCH.
    parameter integer MAX_BATCH = 32,
    parameter integer B_W = 6,
    // Stored shift width and the allowed shift range -L_MAX..R_MAX.
    parameter integer S_W = 8,
    parameter integer L_MAX = 16,
    parameter integer R_MAX = 47,
    // Loss sum and g_hat widths.
    parameter integer LOSS_W = 48,
    parameter integer G_BITS = 32
) (
    input  wire                clk_i,
    input  wire                rst_ni,

    // Register bus: write when reg_we_i; read data one clock after reg_re_i.
    input  wire [7:0]          reg_addr_i,
    input  wire [31:0]         reg_wdata_i,
    input  wire                reg_we_i,
    input  wire                reg_re_i,
    output wire [31:0]         reg_rdata_o,

    // Controller: START accepted, run state, end of a step and its counters.
    output wire                start_o,
    input  wire                busy_i,
    input  wire                done_i,
    input  wire                src_lost_i,
    input  wire                step_end_i,
    input  wire [31:0]         step_count_i,
    input  wire [31:0]         step_cycles_i,
    input  wire [31:0]         load_cycles_i,

    // Run configuration.
    output wire [B_W-1:0]      batch_o,
    output wire [31:0]         steps_o,
    output wire [31:0]         skip_o,
    output wire [S_W-1:0]      shift_p_o,
    output wire [S_W-1:0]      shift_g_o,
    output wire [S_W-1:0]      shift_u_o,
    output wire                round_seed_load_o,  // ROUND_SEED written (accepted)
    output wire [31:0]         round_seed_o,

    // Datapath: results of the step in flight, forward-engine state, host weight access.
    input  wire [LOSS_W-1:0]   loss_p_i,
    input  wire [LOSS_W-1:0]   loss_m_i,
    input  wire [G_BITS-1:0]   g_hat_i,
    input  wire [31:0]         wsig_i,
    input  wire                fwd_busy_i,
    output wire                host_we_o,
    output wire                host_re_o,
    output wire [15:0]         host_addr_o,
    output wire [W_BITS-1:0]   host_wdata_o,
    input  wire [W_BITS-1:0]   host_rdata_i,

    // Perturbation source set-up and state.
    output wire                setup_o,
    output wire [31:0]         seed_o,
    output wire [7:0]          seed_idx_o,
    output wire [31:0]         scale_o,
    output wire [15:0]         refresh_o,
    input  wire                setup_busy_i,
    input  wire                src_idle_i,
    input  wire                src_err_i
);

/* verilator lint_off UNUSEDPARAM */  // the map names every field, each module uses some
`include "pezo_train_regmap.vh"
/* verilator lint_on UNUSEDPARAM */

// sticky error flags, in STATUS order
localparam integer E_BATCH = 0;
localparam integer E_SHIFT = 1;
localparam integer E_STEPS = 2;
localparam integer E_BUSY = 3;
localparam integer E_SOURCE = 4;
localparam integer E_ADDRESS = 5;
localparam integer E_N = 6;

localparam [31:0] D_32 = D;
localparam [31:0] MAX_BATCH_32 = MAX_BATCH;
localparam signed [31:0] SHIFT_MIN = -L_MAX;
localparam signed [31:0] SHIFT_MAX = R_MAX;

reg  [B_W-1:0]            batch_q, batch_d;
reg  [31:0]               steps_q, steps_d;
reg  [31:0]               skip_q, skip_d;
reg  [S_W-1:0]            shift_p_q, shift_p_d;
reg  [S_W-1:0]            shift_g_q, shift_g_d;
reg  [S_W-1:0]            shift_u_q, shift_u_d;
reg  [31:0]               seed_q, seed_d;
reg  [SEED_IDX_VALUE_W-1:0] seed_idx_q, seed_idx_d;
reg  [SCALE_EN_W-1:0]     scale_en_q, scale_en_d;
reg  [SCALE_NEG_W-1:0]    scale_neg_q, scale_neg_d;
reg  [SCALE_SHIFT_W-1:0]  scale_shift_q, scale_shift_d;
reg  [REFRESH_VALUE_W-1:0] refresh_q, refresh_d;
reg  [31:0]               round_seed_q, round_seed_d;
reg                       round_load_q, round_load_d;
reg  [WADDR_VALUE_W-1:0]  waddr_q, waddr_d;
reg  [E_N-1:0]            errors_q, errors_d;
reg                       setup_q, setup_d;
// read-only registers of the last completed step
reg  [LOSS_W-1:0]         last_loss_p_q, last_loss_p_d;
reg  [LOSS_W-1:0]         last_loss_m_q, last_loss_m_d;
reg  [G_BITS-1:0]         last_g_hat_q, last_g_hat_d;
reg  [31:0]               last_wsig_q, last_wsig_d;
reg  [31:0]               last_step_cycles_q, last_step_cycles_d;
reg  [31:0]               last_load_cycles_q, last_load_cycles_d;
// read port
reg  [31:0]               rdata_q, rdata_d;
reg                       rdata_weight_q;  // the read was WDATA: return the weight word

// ---------------------------------------------------------------- bus decode
wire [31:0] wdata = reg_wdata_i;
wire        ctrl_write = reg_we_i && reg_addr_i == A_CTRL;
wire        start_req = ctrl_write && wdata[CTRL_START_LSB];
wire        setup_req = ctrl_write && wdata[CTRL_SETUP_LSB];
wire        clear_req = ctrl_write && wdata[CTRL_CLEAR_LSB];
wire        start_go = start_req && !busy_i && src_idle_i && !setup_busy_i;
wire        shift_ok = $signed(wdata) >= SHIFT_MIN && $signed(wdata) <= SHIFT_MAX;
wire        waddr_ok = 32'(waddr_q) < D_32;
wire        weight_write = reg_we_i && !busy_i && reg_addr_i == A_WDATA && waddr_ok;
wire        weight_read = reg_re_i && !busy_i && reg_addr_i == A_WDATA && waddr_ok;

// ---------------------------------------------------------------- writes and errors
always @* begin
    batch_d = batch_q;
    steps_d = steps_q;
    skip_d = skip_q;
    shift_p_d = shift_p_q;
    shift_g_d = shift_g_q;
    shift_u_d = shift_u_q;
    seed_d = seed_q;
    seed_idx_d = seed_idx_q;
    scale_en_d = scale_en_q;
    scale_neg_d = scale_neg_q;
    scale_shift_d = scale_shift_q;
    refresh_d = refresh_q;
    round_seed_d = round_seed_q;
    round_load_d = 1'b0;
    waddr_d = waddr_q;
    errors_d = errors_q;
    setup_d = 1'b0;

    if (reg_we_i && busy_i && reg_addr_i != A_CTRL) begin
        errors_d[E_BUSY] = 1'b1;
    end else if (reg_we_i) begin
        case (reg_addr_i)
            A_BATCH: begin
                if (wdata >= 32'd1 && wdata <= MAX_BATCH_32) batch_d = wdata[B_W-1:0];
                else errors_d[E_BATCH] = 1'b1;
            end
            A_STEPS: begin
                if (wdata != 32'd0) steps_d = wdata;
                else errors_d[E_STEPS] = 1'b1;
            end
            A_SKIP: skip_d = wdata;
            A_SHIFT_P: if (shift_ok) shift_p_d = wdata[S_W-1:0]; else errors_d[E_SHIFT] = 1'b1;
            A_SHIFT_G: if (shift_ok) shift_g_d = wdata[S_W-1:0]; else errors_d[E_SHIFT] = 1'b1;
            A_SHIFT_U: if (shift_ok) shift_u_d = wdata[S_W-1:0]; else errors_d[E_SHIFT] = 1'b1;
            A_SEED: seed_d = wdata;
            A_SEED_IDX: seed_idx_d = wdata[SEED_IDX_VALUE_LSB +: SEED_IDX_VALUE_W];
            A_SCALE: begin
                scale_en_d = wdata[SCALE_EN_LSB +: SCALE_EN_W];
                scale_neg_d = wdata[SCALE_NEG_LSB +: SCALE_NEG_W];
                scale_shift_d = wdata[SCALE_SHIFT_LSB +: SCALE_SHIFT_W];
            end
            A_REFRESH: refresh_d = wdata[REFRESH_VALUE_LSB +: REFRESH_VALUE_W];
            A_ROUND_SEED: begin
                round_seed_d = wdata;
                round_load_d = 1'b1;
            end
            A_WADDR: begin
                if (wdata < D_32) waddr_d = wdata[WADDR_VALUE_LSB +: WADDR_VALUE_W];
                else errors_d[E_ADDRESS] = 1'b1;
            end
            A_WDATA: begin
                if (weight_write) waddr_d = waddr_q + 1'b1;
                else errors_d[E_ADDRESS] = 1'b1;
            end
            default: ;
        endcase
    end
    if (reg_re_i && reg_addr_i == A_WDATA) begin
        if (weight_read) waddr_d = waddr_q + 1'b1;
        else errors_d[busy_i ? E_BUSY : E_ADDRESS] = 1'b1;
    end
    if (clear_req) begin
        errors_d = {E_N{1'b0}};
    end
    if (setup_req) begin
        if (busy_i || !src_idle_i) errors_d[E_BUSY] = 1'b1;
        else setup_d = 1'b1;
    end
    if (start_req && !start_go) begin
        errors_d[E_BUSY] = 1'b1;
    end
    // an accepted START begins a clean run and consumes SKIP
    if (start_go) begin
        errors_d = {E_N{1'b0}};
        skip_d = 32'd0;
    end
    if (src_lost_i) begin
        errors_d[E_SOURCE] = 1'b1;  // the source refused or ignored a request
    end
end

always @* begin
    last_loss_p_d = last_loss_p_q;
    last_loss_m_d = last_loss_m_q;
    last_g_hat_d = last_g_hat_q;
    last_wsig_d = last_wsig_q;
    last_step_cycles_d = last_step_cycles_q;
    last_load_cycles_d = last_load_cycles_q;
    if (step_end_i) begin
        last_loss_p_d = loss_p_i;
        last_loss_m_d = loss_m_i;
        last_g_hat_d = g_hat_i;
        last_wsig_d = wsig_i;
        last_step_cycles_d = step_cycles_i;
        last_load_cycles_d = load_cycles_i;
    end
end

// ---------------------------------------------------------------- reads
reg [31:0] status;
reg [31:0] scale_word;
reg [31:0] params_word;
reg [31:0] params2_word;
reg [31:0] shape_word;
reg [31:0] read_value;

always @* begin
    status = 32'd0;
    status[STATUS_BUSY_LSB +: STATUS_BUSY_W] = busy_i;
    status[STATUS_DONE_LSB +: STATUS_DONE_W] = done_i;
    status[STATUS_SRC_IDLE_LSB +: STATUS_SRC_IDLE_W] = src_idle_i;
    status[STATUS_SETUP_BUSY_LSB +: STATUS_SETUP_BUSY_W] = setup_busy_i;
    status[STATUS_SRC_ERR_LSB +: STATUS_SRC_ERR_W] = src_err_i;
    status[STATUS_FWD_BUSY_LSB +: STATUS_FWD_BUSY_W] = fwd_busy_i;
    status[STATUS_ERR_BATCH_LSB +: STATUS_ERR_BATCH_W] = errors_q[E_BATCH];
    status[STATUS_ERR_SHIFT_LSB +: STATUS_ERR_SHIFT_W] = errors_q[E_SHIFT];
    status[STATUS_ERR_STEPS_LSB +: STATUS_ERR_STEPS_W] = errors_q[E_STEPS];
    status[STATUS_ERR_BUSY_LSB +: STATUS_ERR_BUSY_W] = errors_q[E_BUSY];
    status[STATUS_ERR_SOURCE_LSB +: STATUS_ERR_SOURCE_W] = errors_q[E_SOURCE];
    status[STATUS_ERR_ADDRESS_LSB +: STATUS_ERR_ADDRESS_W] = errors_q[E_ADDRESS];

    scale_word = 32'd0;
    scale_word[SCALE_EN_LSB +: SCALE_EN_W] = scale_en_q;
    scale_word[SCALE_NEG_LSB +: SCALE_NEG_W] = scale_neg_q;
    scale_word[SCALE_SHIFT_LSB +: SCALE_SHIFT_W] = scale_shift_q;

    params_word = 32'd0;
    params_word[PARAMS_LANES_LSB +: PARAMS_LANES_W] = PARAMS_LANES_W'(LANES);
    params_word[PARAMS_N_HID_LSB +: PARAMS_N_HID_W] = PARAMS_N_HID_W'(N_HID);
    params_word[PARAMS_MAX_BATCH_LSB +: PARAMS_MAX_BATCH_W] = PARAMS_MAX_BATCH_W'(MAX_BATCH);
    params2_word = 32'd0;
    params2_word[PARAMS2_QUERIES_LSB +: PARAMS2_QUERIES_W] = PARAMS2_QUERIES_W'(QUERIES);
    params2_word[PARAMS2_ROUNDING_LSB +: PARAMS2_ROUNDING_W] = PARAMS2_ROUNDING_W'(ROUNDING);
    shape_word = 32'd0;
    shape_word[SHAPE_N_HID2_LSB +: SHAPE_N_HID2_W] = SHAPE_N_HID2_W'(N_HID2);
    shape_word[SHAPE_N_OUT_LSB +: SHAPE_N_OUT_W] = SHAPE_N_OUT_W'(N_OUT);
    shape_word[SHAPE_LOSS_LSB +: SHAPE_LOSS_W] = SHAPE_LOSS_W'(LOSS);

    case (reg_addr_i)
        A_ID: read_value = ID_VALUE;
        A_STATUS: read_value = status;
        A_BATCH: read_value = 32'(batch_q);
        A_STEPS: read_value = steps_q;
        A_SKIP: read_value = skip_q;
        A_SHIFT_P: read_value = 32'($signed(shift_p_q));
        A_SHIFT_G: read_value = 32'($signed(shift_g_q));
        A_SHIFT_U: read_value = 32'($signed(shift_u_q));
        A_SEED: read_value = seed_q;
        A_SEED_IDX: read_value = 32'(seed_idx_q);
        A_SCALE: read_value = scale_word;
        A_REFRESH: read_value = 32'(refresh_q);
        A_ROUND_SEED: read_value = round_seed_q;
        A_STEP_COUNT: read_value = step_count_i;
        A_LOSS_P_LO: read_value = last_loss_p_q[31:0];
        A_LOSS_P_HI: read_value = 32'(last_loss_p_q[LOSS_W-1:32]);
        A_LOSS_M_LO: read_value = last_loss_m_q[31:0];
        A_LOSS_M_HI: read_value = 32'(last_loss_m_q[LOSS_W-1:32]);
        A_G_HAT: read_value = 32'($signed(last_g_hat_q));
        A_WSIG: read_value = last_wsig_q;
        A_STEP_CYCLES: read_value = last_step_cycles_q;
        A_LOAD_CYCLES: read_value = last_load_cycles_q;
        A_WADDR: read_value = 32'(waddr_q);
        A_D: read_value = D_32;
        A_PARAMS: read_value = params_word;
        A_PARAMS2: read_value = params2_word;
        A_SHAPE: read_value = shape_word;
        default: read_value = 32'd0;
    endcase
    rdata_d = reg_re_i ? read_value : rdata_q;
end

assign reg_rdata_o = rdata_weight_q ? 32'($signed(host_rdata_i)) : rdata_q;

// ---------------------------------------------------------------- registers
always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
        batch_q <= B_W'(1);
        steps_q <= 32'd1;
        skip_q <= 32'd0;
        shift_p_q <= {S_W{1'b0}};
        shift_g_q <= {S_W{1'b0}};
        shift_u_q <= {S_W{1'b0}};
        seed_q <= 32'd0;
        seed_idx_q <= {SEED_IDX_VALUE_W{1'b0}};
        scale_en_q <= {SCALE_EN_W{1'b0}};
        scale_neg_q <= {SCALE_NEG_W{1'b0}};
        scale_shift_q <= {SCALE_SHIFT_W{1'b0}};
        refresh_q <= {REFRESH_VALUE_W{1'b0}};
        round_seed_q <= 32'd0;
        round_load_q <= 1'b0;
        waddr_q <= {WADDR_VALUE_W{1'b0}};
        errors_q <= {E_N{1'b0}};
        setup_q <= 1'b0;
        last_loss_p_q <= {LOSS_W{1'b0}};
        last_loss_m_q <= {LOSS_W{1'b0}};
        last_g_hat_q <= {G_BITS{1'b0}};
        last_wsig_q <= 32'd0;
        last_step_cycles_q <= 32'd0;
        last_load_cycles_q <= 32'd0;
        rdata_q <= 32'd0;
        rdata_weight_q <= 1'b0;
    end else begin
        batch_q <= batch_d;
        steps_q <= steps_d;
        skip_q <= skip_d;
        shift_p_q <= shift_p_d;
        shift_g_q <= shift_g_d;
        shift_u_q <= shift_u_d;
        seed_q <= seed_d;
        seed_idx_q <= seed_idx_d;
        scale_en_q <= scale_en_d;
        scale_neg_q <= scale_neg_d;
        scale_shift_q <= scale_shift_d;
        refresh_q <= refresh_d;
        round_seed_q <= round_seed_d;
        round_load_q <= round_load_d;
        waddr_q <= waddr_d;
        errors_q <= errors_d;
        setup_q <= setup_d;
        last_loss_p_q <= last_loss_p_d;
        last_loss_m_q <= last_loss_m_d;
        last_g_hat_q <= last_g_hat_d;
        last_wsig_q <= last_wsig_d;
        last_step_cycles_q <= last_step_cycles_d;
        last_load_cycles_q <= last_load_cycles_d;
        rdata_q <= rdata_d;
        rdata_weight_q <= weight_read;
    end
end

assign start_o = start_go;
assign batch_o = batch_q;
assign steps_o = steps_q;
assign skip_o = skip_q;
assign shift_p_o = shift_p_q;
assign shift_g_o = shift_g_q;
assign shift_u_o = shift_u_q;
assign host_we_o = weight_write;
assign host_re_o = weight_read;
assign host_addr_o = 16'(waddr_q);
assign host_wdata_o = wdata[W_BITS-1:0];
assign setup_o = setup_q;
assign seed_o = seed_q;
assign seed_idx_o = 8'(seed_idx_q);
assign scale_o = scale_word;
assign refresh_o = 16'(refresh_q);
assign round_seed_load_o = round_load_q;
assign round_seed_o = round_seed_q;

endmodule

`default_nettype wire
