// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// pezo_rng_array: PeZO's on-the-fly RNG array: LANES generators, LANES numbers per beat,
// the lane-to-generator mapping rotating by one on every transferred beat.
//
// Lane l of the beat transferred at global clock c (beats transferred since set-up) is
// fed by generator (l + c) mod LANES; every generator advances once per transferred
// beat (surplus lanes of a pass's last beat are dropped, their generators still advance).
// Replay: at step acceptance every generator's state is captured (CAPTURE: R clocks
// reading the next STATE_W sequence bits, then LOAD restores it), together with the
// rotation counter; replay_i loads both back. Interface: docs/perturbation-interface.md;
// design and bit-exact model: docs/array-and-gauss.md, ref_model/array_model.py.

module pezo_rng_array #(
    // n: generators = numbers per beat. 1..64.
    parameter integer LANES = 4,
    // Distribution of every generator: pezo_numgen's DIST (ref_model/source_table.py Dist).
    parameter integer DIST = 0,
    // LFSR word width W (numbers have W fraction bits). 2..16.
    parameter integer W = 8,
    // Words per number (pezo_numgen): 1 for uniform, >= 1 for CLT, K*W 16..32 for ICDF.
    parameter integer K = 1,
    // Width of one lane's signed number; >= what pezo_numgen needs (uniform W+1).
    parameter integer NUM_W = 9,
    // Width of cfg_d_i: d <= 2^D_W - 1. 1..30.
    parameter integer D_W = 16,
    // LFSR state width; K*W <= STATE_W <= 64.
    parameter integer STATE_W = 32,
    // LFSR feedback mask, maximal-length for STATE_W.
    parameter [63:0] TAPS = 64'h0040_0007,
    // Substituted for an all-zero LFSR state (zero seed). Non-zero.
    parameter [63:0] ZERO_SUBST = 64'd1,
    // Width of seed_idx_i (derived; do not override).
    parameter integer IDX_W = (LANES > 1) ? $clog2(LANES) : 1
) (
    input  wire                   clk_i,
    input  wire                   rst_ni,

    // Set-up: load generator seed_idx_i with seed_i (only while idle_o; an index >= LANES
    // is ignored). Any seed write restarts the global clock at 0 and forgets the step.
    input  wire                   seed_we_i,
    input  wire [IDX_W-1:0]       seed_idx_i,
    input  wire [STATE_W-1:0]     seed_i,

    // Control (docs/perturbation-interface.md)
    input  wire [D_W-1:0]         cfg_d_i,
    input  wire                   step_i,
    input  wire                   replay_i,
    output wire                   idle_o,
    output wire                   cfg_err_o,

    // Perturbation stream
    output wire                   m_valid_o,
    input  wire                   m_ready_i,
    output wire [LANES*NUM_W-1:0] m_data_o,
    output wire [LANES-1:0]       m_keep_o,
    output wire                   m_last_o
);

localparam integer OUT_W = K * W;
// clocks needed to read a whole LFSR state out of its words
localparam integer R = (STATE_W + OUT_W - 1) / OUT_W;
localparam integer RC_W = (R > 1) ? $clog2(R) : 1;
localparam integer ROT_W = IDX_W;
localparam [ROT_W-1:0] ROT_LAST = ROT_W'(LANES - 1);
localparam [RC_W-1:0] CAP_LAST = RC_W'(R - 1);
// D_W and LANES for casts and replications, >= 1: an illegal value still reaches its check
localparam integer D_W_MIN1 = (D_W > 0) ? D_W : 1;
localparam integer LANES_MIN1 = (LANES > 0) ? LANES : 1;
localparam [D_W-1:0] LANES_D = D_W_MIN1'(LANES);

// check configuration (docs/architecture.md, "RTL conventions")
if (LANES < 1 || LANES > 64) begin : gen_param_error_lanes
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_rng_array: LANES=%0d unsupported, need 1..64", LANES);
end
if (D_W < 1 || D_W > 30) begin : gen_param_error_d_w
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_rng_array: D_W=%0d unsupported, need 1..30", D_W);
end
// LANES >= 2^D_W, in a form that cannot overflow an integer
if ($clog2(LANES + 1) > D_W) begin : gen_param_error_lanes_d_w
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_rng_array: LANES=%0d unsupported, need <= %0d (LANES < 2^D_W)", LANES, (1 << D_W) - 1);
end
if (IDX_W != ((LANES > 1) ? $clog2(LANES) : 1)) begin : gen_param_error_idx_w
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_rng_array: IDX_W=%0d unsupported, need %0d (derived from LANES: do not override)",
        IDX_W, (LANES > 1) ? $clog2(LANES) : 1);
end

localparam [1:0] S_IDLE = 2'd0, S_CAPTURE = 2'd1, S_LOAD = 2'd2, S_STREAM = 2'd3;

reg  [1:0]          state_q, state_d;
reg  [ROT_W-1:0]    rot_q, rot_d;          // global clock mod LANES
reg  [ROT_W-1:0]    rot_save_q, rot_save_d;
reg  [D_W-1:0]      d_q, d_d;              // d of the current step
reg  [D_W-1:0]      rem_q, rem_d;          // elements left in the pass (>= 1 in STREAM)
reg  [RC_W-1:0]     cap_q, cap_d;          // capture clock
reg                 have_step_q, have_step_d;
reg                 err_q, err_d;

wire xfer = (state_q == S_STREAM) && m_ready_i;
// constant when LANES = 2^D_W - 1: then every beat is a pass's last
/* verilator lint_off CMPCONST */
wire last = (rem_q <= LANES_D);
/* verilator lint_on CMPCONST */
wire setup = seed_we_i && (state_q == S_IDLE);

always @* begin
    state_d = state_q;
    rot_d = rot_q;
    rot_save_d = rot_save_q;
    d_d = d_q;
    rem_d = rem_q;
    cap_d = cap_q;
    have_step_d = have_step_q;
    err_d = err_q;
    case (state_q)
        S_IDLE: begin
            if (seed_we_i) begin
                // set-up: global clock back to 0, no current step to replay
                rot_d = {ROT_W{1'b0}};
                have_step_d = 1'b0;
            end else if (step_i) begin
                if (cfg_d_i == {D_W{1'b0}}) begin
                    err_d = 1'b1;
                end else begin
                    err_d = 1'b0;
                    have_step_d = 1'b1;
                    d_d = cfg_d_i;
                    rot_save_d = rot_q;
                    cap_d = {RC_W{1'b0}};
                    state_d = S_CAPTURE;
                end
            end else if (replay_i && have_step_q) begin
                rot_d = rot_save_q;
                rem_d = d_q;
                state_d = S_STREAM;
            end
        end
        S_CAPTURE: begin
            cap_d = cap_q + 1'b1;
            if (cap_q == CAP_LAST) begin
                state_d = S_LOAD;
            end
        end
        S_LOAD: begin
            rem_d = d_q;
            state_d = S_STREAM;
        end
        S_STREAM: begin
            if (m_ready_i) begin
                rot_d = (rot_q == ROT_LAST) ? {ROT_W{1'b0}} : rot_q + 1'b1;
                rem_d = rem_q - LANES_D;
                if (last) begin
                    state_d = S_IDLE;
                end
            end
        end
        default: begin
            state_d = S_IDLE;
        end
    endcase
end

always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
        state_q <= S_IDLE;
        rot_q <= {ROT_W{1'b0}};
        rot_save_q <= {ROT_W{1'b0}};
        d_q <= {D_W{1'b0}};
        rem_q <= {D_W{1'b0}};
        cap_q <= {RC_W{1'b0}};
        have_step_q <= 1'b0;
        err_q <= 1'b0;
    end else begin
        state_q <= state_d;
        rot_q <= rot_d;
        rot_save_q <= rot_save_d;
        d_q <= d_d;
        rem_q <= rem_d;
        cap_q <= cap_d;
        have_step_q <= have_step_d;
        err_q <= err_d;
    end
end

// --- the generators, their state capture and the lane rotation

wire [LANES*NUM_W-1:0] nums;
wire restore = ((state_q == S_IDLE) && !seed_we_i && !step_i && replay_i && have_step_q)
             || (state_q == S_LOAD);

genvar g, i;
for (g = 0; g < LANES; g = g + 1) begin : gen_gen
    localparam [IDX_W-1:0] GEN_IDX = IDX_W'(g);
    wire [OUT_W-1:0]   rnd;
    wire [STATE_W-1:0] saved;              // the generator's state at step start
    wire               load = restore || (setup && (seed_idx_i == GEN_IDX));
    wire [STATE_W-1:0] load_value = restore ? saved : seed_i;

    // capture clock i reads sequence bits [i*OUT_W, (i+1)*OUT_W) = state bits there
    for (i = 0; i < R; i = i + 1) begin : gen_cap
        localparam integer LO = i * OUT_W;
        localparam integer BITS = (STATE_W - LO < OUT_W) ? STATE_W - LO : OUT_W;
        localparam [RC_W-1:0] CAP_IDX = RC_W'(i);
        reg [BITS-1:0] word_q;
        wire [BITS-1:0] word_d = ((state_q == S_CAPTURE) && (cap_q == CAP_IDX))
                                 ? rnd[BITS-1:0] : word_q;
        always @(posedge clk_i or negedge rst_ni) begin
            if (!rst_ni) begin
                word_q <= {BITS{1'b0}};
            end else begin
                word_q <= word_d;
            end
        end
        assign saved[LO +: BITS] = word_q;
    end

    pezo_numgen #(
        .DIST      (DIST),
        .W         (W),
        .K         (K),
        .NUM_W     (NUM_W),
        .STATE_W   (STATE_W),
        .TAPS      (TAPS),
        .ZERO_SUBST(ZERO_SUBST)
    ) u_numgen (
        .clk_i      (clk_i),
        .rst_ni     (rst_ni),
        .seed_load_i(load),
        .seed_i     (load_value),
        .en_i       (xfer || (state_q == S_CAPTURE)),
        .rnd_o      (rnd),
        .num_o      (nums[g*NUM_W +: NUM_W])
    );
end

// lane l takes generator (l + rot) mod LANES: per lane a binary-select mux over the
// generators in rotation order (candidate j = generator (l + j) mod LANES)
localparam integer NCAND = 1 << ROT_W;
wire [LANES*NUM_W-1:0] rotated;
genvar l, j;
for (l = 0; l < LANES; l = l + 1) begin : gen_rot
    wire [NCAND*NUM_W-1:0] cand;
    for (j = 0; j < NCAND; j = j + 1) begin : gen_cand
        assign cand[j*NUM_W +: NUM_W] = nums[((l + j) % LANES)*NUM_W +: NUM_W];
    end
    assign rotated[l*NUM_W +: NUM_W] = cand[rot_q*NUM_W +: NUM_W];
end

wire [LANES-1:0] keep;
genvar m;
for (m = 0; m < LANES; m = m + 1) begin : gen_lane
    localparam [D_W-1:0] LANE_IDX = D_W_MIN1'(m);
    // lane m holds element b*LANES + m < d, i.e. m < elements left
    assign keep[m] = (rem_q > LANE_IDX);
    assign m_data_o[m*NUM_W +: NUM_W] = keep[m] ? rotated[m*NUM_W +: NUM_W] : {NUM_W{1'b0}};
end

assign m_valid_o = (state_q == S_STREAM);
assign m_keep_o = (state_q == S_STREAM) ? keep : {LANES_MIN1{1'b0}};
assign m_last_o = (state_q == S_STREAM) && last;
assign idle_o = (state_q == S_IDLE);
assign cfg_err_o = err_q;

endmodule

`default_nettype wire
