// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// pezo_train_datapath: memories, passes, forward engine and g_hat unit of pezo_train_engine.
//
// A pass takes one perturbation beat (LANES numbers) per clock; stage 1 holds the beat while
// theta's row is read, stage 2 writes the LANES lane results:
//   plus pass:   pbuf[row]  = sat(theta + round_shift(z, s_p))
//   minus pass:  pbuf[row]  = sat(theta - round_shift(z, s_p))
//   update pass: theta[row] = sat(theta - rnd(sum_k g_k z_k, s_u)), weight signature
// (a skip pass, none of the three, only drains the stream). The forward engine reads pbuf
// and the sample buffer; g_k = sat(round_shift(S+ - S-, s_g), G_BITS) of query k.
// QUERIES > 1: the plus pass of every query but the last also keeps its numbers in a zbuf
// RAM (one per such query), which the update pass reads beside the stream's (the last
// query's, replayed). ROUNDING 1: rnd is stochastic with the words of pezo_train_round,
// which moves on in every update pass and in the skip pass of a step's last query.

module pezo_train_datapath #(
    // MLP layer sizes (checked by pezo_train_engine).
    parameter integer N_IN = 64,
    parameter integer N_HID = 16,
    parameter integer N_OUT = 10,
    // Second hidden layer (0: none) and loss (0 MSE, 1 hinge): pezo_train_fwd.
    parameter integer N_HID2 = 0,
    parameter integer LOSS = 0,
    // MAC lanes = perturbation numbers per beat = words per memory row.
    parameter integer LANES = 4,
    // Perturbation number width.
    parameter integer Z_W = 9,
    // Fixed-point formats (ref_model.config.FixedFormat).
    parameter integer W_BITS = 16,
    parameter integer W_FRAC = 12,
    parameter integer X_FRAC = 4,
    parameter integer A_BITS = 16,
    parameter integer A_FRAC = 8,
    parameter integer G_BITS = 32,
    // Sample-buffer rows and address width, BATCH width.
    parameter integer MAX_BATCH = 32,
    parameter integer SA_W = 5,
    parameter integer B_W = 6,
    // Weight-memory rows and row-address width.
    parameter integer ROWS = 153,
    parameter integer RA_W = 8,
    // Shift width and range; loss sum width.
    parameter integer S_W = 8,
    parameter integer L_MAX = 16,
    parameter integer R_MAX = 47,
    parameter integer LOSS_W = 48,
    // Queries per step (a power of two, width Q_W of their index); update rounding.
    parameter integer QUERIES = 1,
    parameter integer Q_W = 1,
    parameter integer ROUNDING = 0
) (
    input  wire                      clk_i,
    input  wire                      rst_ni,

    // Sample buffer write (LOAD).
    input  wire                      load_we_i,
    input  wire [SA_W-1:0]           load_row_i,
    input  wire [N_IN*8-1:0]         s_pixels_i,
    input  wire [3:0]                s_label_i,

    // Pass control (controller) and the perturbation stream.
    input  wire                      pass_i,
    input  wire                      pass_plus_i,
    input  wire                      pass_minus_i,
    input  wire                      pass_update_i,
    input  wire                      pass_begin_i,
    input  wire [Q_W-1:0]            query_i,         // query of the pass / the g capture
    /* verilator lint_off UNUSEDSIGNAL */  // ROUNDING 0 uses no rounding words
    input  wire                      round_pass_i,    // the pass consumes rounding words
    /* verilator lint_on UNUSEDSIGNAL */
    output wire                      pass_end_o,
    output wire                      pass_empty_o,
    input  wire                      src_valid_i,
    input  wire [LANES*Z_W-1:0]      src_data_i,
    input  wire [LANES-1:0]          src_keep_i,
    input  wire                      src_last_i,

    // Shifts s_p, s_g, s_u (signed).
    input  wire [S_W-1:0]            shift_p_i,
    input  wire [S_W-1:0]            shift_g_i,
    input  wire [S_W-1:0]            shift_u_i,

    // Forward engine and result capture.
    input  wire [B_W-1:0]            batch_i,
    input  wire                      fwd_start_i,
    output wire                      fwd_busy_o,
    output wire                      fwd_done_o,
    input  wire                      loss_p_capture_i,
    input  wire                      loss_m_capture_i,
    input  wire                      g_hat_capture_i,
    input  wire                      wsig_clear_i,
    output wire [LOSS_W-1:0]         loss_p_o,
    output wire [LOSS_W-1:0]         loss_m_o,
    output wire [G_BITS-1:0]         g_hat_o,
    output wire [31:0]               wsig_o,

    // Stochastic rounding: the ROUNDING generator's seed load.
    /* verilator lint_off UNUSEDSIGNAL */  // ROUNDING 0 has no generator to seed
    input  wire                      round_seed_load_i,
    input  wire [31:0]               round_seed_i,
    /* verilator lint_on UNUSEDSIGNAL */

    // Host access to theta (while idle): word address, registered read.
    input  wire                      host_we_i,
    input  wire                      host_re_i,
    input  wire [15:0]               host_addr_i,
    input  wire [W_BITS-1:0]         host_wdata_i,
    output wire [W_BITS-1:0]         host_rdata_o
);

localparam integer LG = (LANES > 1) ? $clog2(LANES) : 1;  // width of a lane index
localparam integer LANE_BITS = $clog2(LANES);              // word-address bits of the lane
localparam integer SAMPLE_W = N_IN * 8 + 4;
localparam [31:0] LANES_32 = LANES;
localparam integer PREV_N = (QUERIES > 1) ? QUERIES - 1 : 1;  // zbuf RAMs (1: none used)

// ---------------------------------------------------------------- pass pipeline
reg  [RA_W:0]          beat_count_q, beat_count_d;  // beats accepted in this pass
reg                    beat_valid_q;
reg                    beat_last_q;
reg  [RA_W-1:0]        beat_row_q;
reg  [LANES*Z_W-1:0]   beat_z_q;
reg  [LANES-1:0]       beat_keep_q;

wire accept = pass_i && src_valid_i;

always @* begin
    beat_count_d = beat_count_q;
    if (pass_begin_i) beat_count_d = {(RA_W + 1){1'b0}};
    else if (accept) beat_count_d = beat_count_q + 1'b1;
end

always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
        beat_count_q <= {(RA_W + 1){1'b0}};
        beat_valid_q <= 1'b0;
        beat_last_q <= 1'b0;
        beat_row_q <= {RA_W{1'b0}};
        beat_z_q <= {(LANES * Z_W){1'b0}};
        beat_keep_q <= {LANES{1'b0}};
    end else begin
        beat_count_q <= beat_count_d;
        beat_valid_q <= accept;
        if (accept) begin
            beat_last_q <= src_last_i;
            beat_row_q <= beat_count_q[RA_W-1:0];
            beat_z_q <= src_data_i;
            beat_keep_q <= src_keep_i;
        end
    end
end

// ---------------------------------------------------------------- lanes
// results of the step in flight (g_hat also feeds the update lanes)
reg  [LOSS_W-1:0]  loss_p_q, loss_p_d;  // S+
reg  [LOSS_W-1:0]  loss_m_q, loss_m_d;  // S-
reg  [QUERIES*G_BITS-1:0] g_hat_q, g_hat_d;  // query k at k
reg  [31:0]        wsig_q, wsig_d;
reg  [31:0]        wsig_add;
wire [LANES*W_BITS-1:0] theta_rdata;
wire [LANES*W_BITS-1:0] lane_theta;
wire [1:0]              lane_mode = pass_plus_i ? 2'd0 : pass_minus_i ? 2'd1 : 2'd2;
wire                    theta_update = beat_valid_q && pass_update_i;
wire                    pbuf_write = beat_valid_q && (pass_plus_i || pass_minus_i);
wire [PREV_N*LANES*Z_W-1:0] zbuf_rdata;  // earlier queries' numbers of the beat's row
wire [LANES*16-1:0]     round_words;

genvar gl, gk;
for (gl = 0; gl < LANES; gl = gl + 1) begin : gen_lane
    wire [PREV_N*Z_W-1:0] z_prev;  // lane gl's word of every earlier query
    for (gk = 0; gk < PREV_N; gk = gk + 1) begin : gen_prev
        assign z_prev[gk * Z_W +: Z_W] = zbuf_rdata[(gk * LANES + gl) * Z_W +: Z_W];
    end
    pezo_train_lane #(
        .W_BITS(W_BITS), .Z_W(Z_W), .G_BITS(G_BITS), .S_W(S_W), .L_MAX(L_MAX), .R_MAX(R_MAX),
        .QUERIES(QUERIES), .ROUNDING(ROUNDING), .R_W(16)
    ) u_lane (
        .mode_i(lane_mode),
        .theta_i(theta_rdata[gl * W_BITS +: W_BITS]),
        .z_i(beat_z_q[gl * Z_W +: Z_W]),
        .s_p_i(shift_p_i),
        .z_prev_i(z_prev),
        .g_i(g_hat_q),
        .s_u_i(shift_u_i),
        .r_word_i(round_words[gl * 16 +: 16]),
        .theta_o(lane_theta[gl * W_BITS +: W_BITS])
    );
end

// ---------------------------------------------------------------- step results
wire [LOSS_W-1:0]  fwd_loss;
wire signed [LOSS_W:0] loss_diff = $signed({1'b0, loss_p_q}) - $signed({1'b0, loss_m_q});
wire signed [G_BITS-1:0] g_hat_new;
integer l;

pezo_train_rshift #(
    .IN_W(LOSS_W + 1), .OUT_W(G_BITS), .S_W(S_W), .L_MAX(L_MAX), .R_MAX(R_MAX)
) u_ghat (
    .x_i(loss_diff), .s_i(shift_g_i), .y_o(g_hat_new)
);

// weight signature of the updated theta: sum_j theta_j * (j + 1) mod 2^32
always @* begin
    wsig_add = 32'd0;
    for (l = 0; l < LANES; l = l + 1) begin
        if (beat_keep_q[l]) begin
            wsig_add = wsig_add + 32'($signed(lane_theta[l * W_BITS +: W_BITS])) *
                       (32'(beat_row_q) * LANES_32 + 32'(l) + 32'd1);
        end
    end
end

always @* begin
    loss_p_d = loss_p_capture_i ? fwd_loss : loss_p_q;
    loss_m_d = loss_m_capture_i ? fwd_loss : loss_m_q;
    g_hat_d = g_hat_q;
    if (g_hat_capture_i) g_hat_d[32'(query_i) * G_BITS +: G_BITS] = g_hat_new;
    wsig_d = wsig_clear_i ? 32'd0 : theta_update ? wsig_q + wsig_add : wsig_q;
end

always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
        loss_p_q <= {LOSS_W{1'b0}};
        loss_m_q <= {LOSS_W{1'b0}};
        g_hat_q <= {(QUERIES * G_BITS){1'b0}};
        wsig_q <= 32'd0;
    end else begin
        loss_p_q <= loss_p_d;
        loss_m_q <= loss_m_d;
        g_hat_q <= g_hat_d;
        wsig_q <= wsig_d;
    end
end

// ---------------------------------------------------------------- memories
wire [RA_W-1:0]  host_row = RA_W'(host_addr_i >> LANE_BITS);
wire [LG-1:0]    host_lane = (LANES > 1) ? LG'(host_addr_i) : {LG{1'b0}};
wire [LANES-1:0] host_mask = {{(LANES - 1){1'b0}}, 1'b1} << host_lane;
reg  [LG-1:0]    host_lane_q;  // lane of the word being read
wire [SA_W-1:0]  x_addr;
wire             x_re;
wire [SAMPLE_W-1:0] x_rdata;
wire [RA_W-1:0]  pbuf_raddr;
wire             pbuf_re;
wire [LANES*W_BITS-1:0] pbuf_rdata;

always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) host_lane_q <= {LG{1'b0}};
    else host_lane_q <= host_lane;
end

pezo_train_ram #(
    .LANES(LANES), .WORD_W(W_BITS), .ROWS(ROWS), .ADDR_W(RA_W)
) u_theta (
    .clk_i(clk_i),
    .we_i(theta_update || host_we_i),
    .wmask_i(theta_update ? beat_keep_q : host_mask),
    .waddr_i(theta_update ? beat_row_q : host_row),
    .wdata_i(theta_update ? lane_theta : {LANES{host_wdata_i}}),
    .re_i(accept || host_re_i),
    .raddr_i(accept ? beat_count_q[RA_W-1:0] : host_row),
    .rdata_o(theta_rdata)
);

pezo_train_ram #(
    .LANES(LANES), .WORD_W(W_BITS), .ROWS(ROWS), .ADDR_W(RA_W)
) u_pbuf (
    .clk_i(clk_i),
    .we_i(pbuf_write),
    .wmask_i({LANES{1'b1}}),
    .waddr_i(beat_row_q),
    .wdata_i(lane_theta),
    .re_i(pbuf_re),
    .raddr_i(pbuf_raddr),
    .rdata_o(pbuf_rdata)
);

// the numbers of queries 0..QUERIES-2, written by their plus passes, read with theta
if (QUERIES > 1) begin : gen_zbuf
    for (gk = 0; gk < QUERIES - 1; gk = gk + 1) begin : gen_query
        pezo_train_ram #(
            .LANES(LANES), .WORD_W(Z_W), .ROWS(ROWS), .ADDR_W(RA_W)
        ) u_zbuf (
            .clk_i(clk_i),
            .we_i(beat_valid_q && pass_plus_i && 32'(query_i) == gk),
            .wmask_i({LANES{1'b1}}),
            .waddr_i(beat_row_q),
            .wdata_i(beat_z_q),
            .re_i(accept),
            .raddr_i(beat_count_q[RA_W-1:0]),
            .rdata_o(zbuf_rdata[gk * LANES * Z_W +: LANES * Z_W])
        );
    end
end else begin : gen_no_zbuf
    assign zbuf_rdata = {(LANES * Z_W){1'b0}};
end

// stochastic-rounding words: the beat's kept lanes (a prefix) consume one word each
if (ROUNDING != 0) begin : gen_round
    reg [$clog2(LANES + 1)-1:0] kept;
    integer kl;
    always @* begin
        kept = {$clog2(LANES + 1){1'b0}};
        for (kl = 0; kl < LANES; kl = kl + 1) kept = kept + {{($clog2(LANES + 1) - 1){1'b0}}, beat_keep_q[kl]};
    end
    pezo_train_round #(.LANES(LANES)) u_round (
        .clk_i(clk_i),
        .rst_ni(rst_ni),
        .seed_load_i(round_seed_load_i),
        .seed_i(round_seed_i),
        .advance_i(beat_valid_q && round_pass_i),
        .count_i(kept),
        .words_o(round_words)
    );
end else begin : gen_no_round
    assign round_words = {(LANES * 16){1'b0}};
end

pezo_train_ram #(
    .LANES(1), .WORD_W(SAMPLE_W), .ROWS(MAX_BATCH), .ADDR_W(SA_W)
) u_samples (
    .clk_i(clk_i),
    .we_i(load_we_i),
    .wmask_i(1'b1),
    .waddr_i(load_row_i),
    .wdata_i({s_label_i, s_pixels_i}),
    .re_i(x_re),
    .raddr_i(x_addr),
    .rdata_o(x_rdata)
);

pezo_train_fwd #(
    .N_IN(N_IN), .N_HID(N_HID), .N_OUT(N_OUT), .N_HID2(N_HID2), .LOSS(LOSS), .LANES(LANES),
    .W_BITS(W_BITS), .W_FRAC(W_FRAC), .X_FRAC(X_FRAC), .A_BITS(A_BITS), .A_FRAC(A_FRAC),
    .PIX_W(8), .SA_W(SA_W), .B_W(B_W), .RA_W(RA_W), .LOSS_W(LOSS_W)
) u_fwd (
    .clk_i(clk_i),
    .rst_ni(rst_ni),
    .start_i(fwd_start_i),
    .batch_i(batch_i),
    .busy_o(fwd_busy_o),
    .done_o(fwd_done_o),
    .loss_o(fwd_loss),
    .x_addr_o(x_addr),
    .x_re_o(x_re),
    .x_rdata_i(x_rdata),
    .w_addr_o(pbuf_raddr),
    .w_re_o(pbuf_re),
    .w_rdata_i(pbuf_rdata)
);

assign pass_end_o = beat_valid_q && beat_last_q;
assign pass_empty_o = (beat_count_q == {(RA_W + 1){1'b0}}) && !beat_valid_q;
assign loss_p_o = loss_p_q;
assign loss_m_o = loss_m_q;
assign g_hat_o = g_hat_q[(QUERIES - 1) * G_BITS +: G_BITS];  // the last query's
assign wsig_o = wsig_q;
assign host_rdata_o = theta_rdata[32'(host_lane_q) * W_BITS +: W_BITS];

endmodule

`default_nettype wire
