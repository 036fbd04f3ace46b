// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// pezo_pool: PeZO random-number reuse engine, an N-number pool read at a rotating offset.
//
// Fill: fill_i loads fill_seed_i into a pezo_lfsr and writes N numbers v = 2s+1 (s the
// signed (NUM_W-1)-bit word), one per clock, pool[i] = i-th number. Step t streams
// z_t[j] = pool[(o_t + j) mod N], j < d, LANES per beat; o_0 = 0, o_{t+1} = (o_t + d) mod N.
// replay_i re-streams z_t. With cfg_refresh_i = R > 0, before step t > 0 with t mod R == 0
// the pool is refilled with the generator's next N numbers (the offset carries on).
// Bit-exact model: ref_model/perturb.py (reuse pool, generator hw), via ref_model/pool_model.py.
//
// Banking: pool index i lives in bank i mod LANES, row i / LANES. With o = q*LANES + r, beat b
// reads bank k at row q + b + (k < r) (mod ROWS) and lane l takes bank (r + l) mod LANES, so
// every bank is read once per beat. Each bank is a simple dual-port RAM with a registered read
// (block RAM or LUTRAM). Pipeline: address -> bank read register -> lane rotation -> m_* register.

module pezo_pool #(
    // Pool size N (numbers stored). >= 2 and a multiple of LANES.
    parameter integer POOL_N = 64,
    // Numbers per beat (P). >= 1.
    parameter integer LANES = 4,
    // Width of one signed number v = 2s+1; the LFSR word is NUM_W-1 bits. 3..17, <= STATE_W+1.
    parameter integer NUM_W = 9,
    // Width of cfg_d_i (d <= 2^D_W - 1). 2..30.
    parameter integer D_W = 16,
    // Width of cfg_refresh_i (R <= 2^R_W - 1). 1..30.
    parameter integer R_W = 16,
    // Pool index width: 2^ADDR_W >= POOL_N; sizes d mod N and fill_sumsq_o. 1..24.
    parameter integer ADDR_W = 6,
    // LFSR state width (the fill generator). 2..64.
    parameter integer STATE_W = 32,
    // LFSR feedback mask (see pezo_lfsr). Default: x^32+x^22+x^2+x+1.
    parameter [63:0] TAPS = 64'h0040_0007
) (
    input  wire                         clk_i,
    input  wire                         rst_ni,

    // Pool fill: fill_i (accepted while idle_o) loads the seed and writes N numbers.
    input  wire                         fill_i,
    input  wire [STATE_W-1:0]           fill_seed_i,
    output wire                         fill_busy_o,
    // Sum of v^2 over the numbers of the last fill (valid when fill_busy_o is low).
    output wire [2*NUM_W+ADDR_W-1:0]    fill_sumsq_o,

    // Step control (docs/perturbation-interface.md).
    input  wire [D_W-1:0]               cfg_d_i,
    input  wire [R_W-1:0]               cfg_refresh_i,
    input  wire                         step_i,
    input  wire                         replay_i,
    output wire                         idle_o,
    output wire                         cfg_err_o,

    // Perturbation stream.
    output wire                         m_valid_o,
    input  wire                         m_ready_i,
    output wire [LANES*NUM_W-1:0]       m_data_o,
    output wire [LANES-1:0]             m_keep_o,
    output wire                         m_last_o
);

localparam integer ROWS = (LANES > 0) ? POOL_N / LANES : 1;
localparam integer ROW_W = (ROWS > 1) ? $clog2(ROWS) : 1;
localparam integer LANE_W = (LANES > 1) ? $clog2(LANES) : 1;
localparam integer SUMSQ_W = 2 * NUM_W + ADDR_W;
localparam integer WORD_W = NUM_W - 1;
localparam integer CNT_W = (D_W > 1) ? $clog2(D_W + 1) : 1;
// LANES for replications, >= 1: an illegal LANES still reaches its check on Icarus
localparam integer LANES_MIN1 = (LANES > 0) ? LANES : 1;

// smallest ADDR_W that addresses POOL_N numbers
localparam integer ADDR_W_MIN = (POOL_N > 2) ? $clog2(POOL_N) : 1;

// check configuration (docs/architecture.md, "RTL conventions")
if (LANES < 1) begin : gen_param_error_lanes
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_pool: LANES=%0d unsupported, need >= 1", LANES);
end
if (POOL_N < 2) begin : gen_param_error_pool_n
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_pool: POOL_N=%0d unsupported, need >= 2", POOL_N);
end
if (LANES != 0 && POOL_N % LANES != 0) begin : gen_param_error_pool_n_multiple
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_pool: POOL_N=%0d unsupported, need a multiple of LANES=%0d", POOL_N, LANES);
end
if (ADDR_W < ADDR_W_MIN || ADDR_W > 24) begin : gen_param_error_addr_w
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_pool: ADDR_W=%0d unsupported, need %0d..24 (2^ADDR_W >= POOL_N)", ADDR_W, ADDR_W_MIN);
end
if (NUM_W < 3 || NUM_W > 17) begin : gen_param_error_num_w
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_pool: NUM_W=%0d unsupported, need 3..17", NUM_W);
end
if (NUM_W - 1 > STATE_W) begin : gen_param_error_num_w_state_w
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_pool: NUM_W=%0d unsupported, need <= %0d (NUM_W-1 <= STATE_W)", NUM_W, STATE_W + 1);
end
if (D_W < 2 || D_W > 30) begin : gen_param_error_d_w
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_pool: D_W=%0d unsupported, need 2..30", D_W);
end
if (R_W < 1 || R_W > 30) begin : gen_param_error_r_w
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_pool: R_W=%0d unsupported, need 1..30", R_W);
end

localparam [1:0] S_IDLE = 2'd0;  // waiting for fill_i / step_i / replay_i
localparam [1:0] S_FILL = 2'd1;  // writing N numbers from the LFSR
localparam [1:0] S_CHECK = 2'd2; // computing d mod N, one bit of d per clock
localparam [1:0] S_STREAM = 2'd3; // issuing the pass's beats

// sized constants
localparam integer ADDR_W1 = ADDR_W + 1;
localparam [ROW_W-1:0] ROW_LAST = ROW_W'(ROWS - 1);
localparam [LANE_W-1:0] LANE_LAST = LANE_W'(LANES - 1);
localparam [LANE_W-1:0] LANES_LW = LANE_W'(LANES);  // LANES mod 2^LANE_W
localparam [ADDR_W:0] POOL_N_W = ADDR_W1'(POOL_N);
localparam [D_W-1:0] LANES_D = D_W'(LANES);
localparam [CNT_W-1:0] CHECK_LAST = CNT_W'(D_W - 1);

// ---------------------------------------------------------------- control state
reg  [1:0]         state_q, state_d;
reg                filled_q, filled_d;      // a fill has completed: steps allowed
reg                started_q, started_d;    // step 0 of this fill has been accepted
reg                then_stream_q, then_stream_d; // FILL was a refresh: stream after it
reg                err_q, err_d;
reg  [D_W-1:0]     d_cur_q, d_cur_d;        // d of the current (accepted) step
reg  [D_W-1:0]     d_new_q, d_new_d;        // d being checked (shifted out MSB first)
reg  [R_W-1:0]     refresh_q, refresh_d;    // R of the step being checked
reg  [R_W-1:0]     since_q, since_d;        // t mod R since the last fill
reg  [CNT_W-1:0]   chk_cnt_q, chk_cnt_d;
reg  [ADDR_W:0]    dmod_q, dmod_d;          // running d mod N
reg  [ROW_W-1:0]   wrow_q, wrow_d;          // fill write position (bank, row)
reg  [LANE_W-1:0]  wbank_q, wbank_d;
reg  [SUMSQ_W-1:0] sumsq_q, sumsq_d;
reg  [ROW_W-1:0]   start_row_q, start_row_d; // o_t = start_row * LANES + start_r
reg  [LANE_W-1:0]  start_r_q, start_r_d;
reg  [ROW_W-1:0]   next_row_q, next_row_d;   // o_{t+1}, found at the end of a pass
reg  [LANE_W-1:0]  next_r_q, next_r_d;
reg  [ROW_W-1:0]   ptr_row_q, ptr_row_d;     // row of the beat being issued
reg  [D_W-1:0]     rem_q, rem_d;             // elements of the pass not yet issued

// pipeline: stage A = bank read registers, stage B = m_* registers
reg                a_valid_q;
reg  [LANES-1:0]   a_keep_q;
reg                a_last_q;
/* verilator lint_off UNUSEDSIGNAL */  // LANES = 1: no rotation, a_r_q is not read
reg  [LANE_W-1:0]  a_r_q;
/* verilator lint_on UNUSEDSIGNAL */
reg                m_valid_q;
reg  [LANES*NUM_W-1:0] m_data_q;
reg  [LANES-1:0]   m_keep_q;
reg                m_last_q;

wire b_ready = !m_valid_q || m_ready_i;
wire a_adv = !a_valid_q || b_ready;
wire issue = (state_q == S_STREAM) && a_adv;
wire idle = (state_q == S_IDLE) && !a_valid_q && !m_valid_q;
wire fill_go = idle && fill_i;
wire step_go = idle && !fill_i && step_i;
wire replay_go = idle && !fill_i && !step_i && replay_i && started_q;
wire fill_we = (state_q == S_FILL);
wire last_issue = issue && (rem_q <= LANES_D);
wire [ROW_W-1:0] ptr_row_inc = (ptr_row_q == ROW_LAST) ? {ROW_W{1'b0}} : ptr_row_q + 1'b1;

// ---------------------------------------------------------------- generator
wire [WORD_W-1:0] rnd;
wire signed [NUM_W-1:0] fill_v = {rnd, 1'b1};  // 2s + 1 in two's complement
wire signed [2*NUM_W-1:0] fill_v_ext = {{NUM_W{fill_v[NUM_W-1]}}, fill_v};
wire [2*NUM_W-1:0] fill_sq = fill_v_ext * fill_v_ext;  // v^2 < 2^(2*NUM_W-2)

pezo_lfsr #(
    .STATE_W(STATE_W),
    .OUT_W(WORD_W),
    .TAPS(TAPS),
    .ZERO_SUBST(64'd1)
) u_lfsr (
    .clk_i(clk_i),
    .rst_ni(rst_ni),
    .seed_load_i(fill_go),
    .seed_i(fill_seed_i),
    .en_i(fill_we),
    .rnd_o(rnd)
);

// ---------------------------------------------------------------- next-state logic
wire [ADDR_W:0] dmod_shift = {dmod_q[ADDR_W-1:0], d_new_q[D_W-1]};
wire [ADDR_W:0] dmod_next = (dmod_shift >= POOL_N_W) ? dmod_shift - POOL_N_W : dmod_shift;
wire [R_W-1:0] since_inc = since_q + 1'b1;
wire refresh_due = (refresh_q != 0) && (since_inc >= refresh_q);
// unused lanes of the last beat, LANES - rem (< LANES, so exact modulo 2^LANE_W)
wire [LANE_W-1:0] pad = LANES_LW - rem_q[LANE_W-1:0];

always @* begin
    state_d = state_q;
    filled_d = filled_q;
    started_d = started_q;
    then_stream_d = then_stream_q;
    err_d = err_q;
    d_cur_d = d_cur_q;
    d_new_d = d_new_q;
    refresh_d = refresh_q;
    since_d = since_q;
    chk_cnt_d = chk_cnt_q;
    dmod_d = dmod_q;
    wrow_d = wrow_q;
    wbank_d = wbank_q;
    sumsq_d = sumsq_q;
    start_row_d = start_row_q;
    start_r_d = start_r_q;
    next_row_d = next_row_q;
    next_r_d = next_r_q;
    ptr_row_d = ptr_row_q;
    rem_d = rem_q;
    case (state_q)
        S_IDLE: begin
            if (fill_go) begin
                state_d = S_FILL;
                then_stream_d = 1'b0;
                filled_d = 1'b0;
                started_d = 1'b0;
                since_d = {R_W{1'b0}};
                start_row_d = {ROW_W{1'b0}};
                start_r_d = {LANE_W{1'b0}};
                wrow_d = {ROW_W{1'b0}};
                wbank_d = {LANE_W{1'b0}};
                sumsq_d = {SUMSQ_W{1'b0}};
            end else if (step_go) begin
                if (cfg_d_i == 0 || !filled_q) begin
                    err_d = 1'b1;  // d = 0, or no pool filled yet
                end else begin
                    state_d = S_CHECK;
                    d_new_d = cfg_d_i;
                    refresh_d = cfg_refresh_i;
                    chk_cnt_d = {CNT_W{1'b0}};
                    dmod_d = {(ADDR_W + 1){1'b0}};
                end
            end else if (replay_go) begin
                state_d = S_STREAM;
                ptr_row_d = start_row_q;
                rem_d = d_cur_q;
            end
        end
        S_FILL: begin
            sumsq_d = sumsq_q + {{ADDR_W{1'b0}}, fill_sq};
            if (wbank_q == LANE_LAST) begin
                wbank_d = {LANE_W{1'b0}};
                wrow_d = wrow_q + 1'b1;
            end else begin
                wbank_d = wbank_q + 1'b1;
            end
            if (wbank_q == LANE_LAST && wrow_q == ROW_LAST) begin
                filled_d = 1'b1;
                state_d = then_stream_q ? S_STREAM : S_IDLE;
            end
        end
        S_CHECK: begin
            dmod_d = dmod_next;
            d_new_d = {d_new_q[D_W-2:0], 1'b0};
            chk_cnt_d = chk_cnt_q + 1'b1;
            if (chk_cnt_q == CHECK_LAST) begin
                if (dmod_next == 0) begin
                    err_d = 1'b1;  // d mod N == 0: every step would read the same numbers
                    state_d = S_IDLE;
                end else begin
                    err_d = 1'b0;
                    d_cur_d = rem_q;  // rem_q holds the d under check (see below)
                    state_d = S_STREAM;
                    if (started_q) begin
                        start_row_d = next_row_q;
                        start_r_d = next_r_q;
                        ptr_row_d = next_row_q;
                        since_d = refresh_due ? {R_W{1'b0}} : since_inc;
                        if (refresh_due) begin
                            state_d = S_FILL;
                            then_stream_d = 1'b1;
                            wrow_d = {ROW_W{1'b0}};
                            wbank_d = {LANE_W{1'b0}};
                            sumsq_d = {SUMSQ_W{1'b0}};
                        end
                    end else begin
                        started_d = 1'b1;
                        ptr_row_d = start_row_q;
                    end
                end
            end
        end
        S_STREAM: begin
            if (issue) begin
                ptr_row_d = ptr_row_inc;
                rem_d = rem_q - LANES_D;
                if (last_issue) begin
                    state_d = S_IDLE;
                    if (start_r_q >= pad) begin
                        next_row_d = ptr_row_inc;
                        next_r_d = start_r_q - pad;
                    end else begin
                        next_row_d = ptr_row_q;
                        next_r_d = start_r_q + (LANE_LAST - pad) + 1'b1;  // r + LANES - pad < LANES
                    end
                end
            end
        end
        default: begin
            state_d = S_IDLE;
        end
    endcase
    // rem_q doubles as the copy of d while it is checked, and is reloaded for the pass
    if (step_go && cfg_d_i != 0 && filled_q) begin
        rem_d = cfg_d_i;
    end
end

always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
        state_q <= S_IDLE;
        filled_q <= 1'b0;
        started_q <= 1'b0;
        then_stream_q <= 1'b0;
        err_q <= 1'b0;
        d_cur_q <= {D_W{1'b0}};
        d_new_q <= {D_W{1'b0}};
        refresh_q <= {R_W{1'b0}};
        since_q <= {R_W{1'b0}};
        chk_cnt_q <= {CNT_W{1'b0}};
        dmod_q <= {(ADDR_W + 1){1'b0}};
        wrow_q <= {ROW_W{1'b0}};
        wbank_q <= {LANE_W{1'b0}};
        sumsq_q <= {SUMSQ_W{1'b0}};
        start_row_q <= {ROW_W{1'b0}};
        start_r_q <= {LANE_W{1'b0}};
        next_row_q <= {ROW_W{1'b0}};
        next_r_q <= {LANE_W{1'b0}};
        ptr_row_q <= {ROW_W{1'b0}};
        rem_q <= {D_W{1'b0}};
    end else begin
        state_q <= state_d;
        filled_q <= filled_d;
        started_q <= started_d;
        then_stream_q <= then_stream_d;
        err_q <= err_d;
        d_cur_q <= d_cur_d;
        d_new_q <= d_new_d;
        refresh_q <= refresh_d;
        since_q <= since_d;
        chk_cnt_q <= chk_cnt_d;
        dmod_q <= dmod_d;
        wrow_q <= wrow_d;
        wbank_q <= wbank_d;
        sumsq_q <= sumsq_d;
        start_row_q <= start_row_d;
        start_r_q <= start_r_d;
        next_row_q <= next_row_d;
        next_r_q <= next_r_d;
        ptr_row_q <= ptr_row_d;
        rem_q <= rem_d;
    end
end

// ---------------------------------------------------------------- pool banks
wire [LANES*NUM_W-1:0] bank_rdata;
reg  [LANES-1:0] row_wrap;  // bank k reads the row after the base row when k < r
integer kk;

always @* begin
    for (kk = 0; kk < LANES; kk = kk + 1) begin
        row_wrap[kk] = 32'(start_r_q) > kk;
    end
end

genvar k;
for (k = 0; k < LANES; k = k + 1) begin : gen_bank
    reg  [NUM_W-1:0] mem [0:ROWS-1];
    reg  [NUM_W-1:0] rdata_q;
    // bank k holds pool index (o + j) with (r + l) mod LANES == k: the row after the
    // beat's base row when k < r (its element wrapped past the end of the base row)
    wire [ROW_W-1:0] raddr = row_wrap[k] ? ptr_row_inc : ptr_row_q;
    localparam [LANE_W-1:0] BANK_ID = LANE_W'(k);
    wire we = fill_we && (wbank_q == BANK_ID);

    always @(posedge clk_i) begin
        if (we) begin
            mem[wrow_q] <= fill_v;
        end
        if (a_adv) begin
            rdata_q <= mem[raddr];
        end
    end
    assign bank_rdata[k*NUM_W +: NUM_W] = rdata_q;
end

// ---------------------------------------------------------------- read pipeline
reg [LANES*NUM_W-1:0] rotated;
reg [LANES-1:0] keep_issue;
integer l;

always @* begin
    for (l = 0; l < LANES; l = l + 1) begin
        // lane l takes bank (r + l) mod LANES; lanes past d carry 0
        rotated[l*NUM_W +: NUM_W] = a_keep_q[l]
            ? bank_rdata[(({{(32 - LANE_W){1'b0}}, a_r_q} + l) % LANES)*NUM_W +: NUM_W] : {NUM_W{1'b0}};
        keep_issue[l] = 32'(rem_q) > l;
    end
end

always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
        a_valid_q <= 1'b0;
        a_keep_q <= {LANES_MIN1{1'b0}};
        a_last_q <= 1'b0;
        a_r_q <= {LANE_W{1'b0}};
        m_valid_q <= 1'b0;
        m_data_q <= {(LANES_MIN1 * NUM_W){1'b0}};
        m_keep_q <= {LANES_MIN1{1'b0}};
        m_last_q <= 1'b0;
    end else begin
        if (a_adv) begin
            a_valid_q <= issue;
            a_keep_q <= keep_issue;
            a_last_q <= last_issue;
            a_r_q <= start_r_q;
        end
        if (b_ready) begin
            m_valid_q <= a_valid_q;
            m_data_q <= rotated;
            m_keep_q <= a_keep_q;
            m_last_q <= a_last_q;
        end
    end
end

assign m_valid_o = m_valid_q;
assign m_data_o = m_data_q;
assign m_keep_o = m_keep_q;
assign m_last_o = m_last_q;
assign idle_o = idle;
assign cfg_err_o = err_q;
assign fill_busy_o = (state_q == S_FILL);
assign fill_sumsq_o = sumsq_q;

endmodule

`default_nettype wire
