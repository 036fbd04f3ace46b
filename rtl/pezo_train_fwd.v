// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// pezo_train_fwd: forward engine of the N_IN-N_HID-N_OUT ReLU MLP (N_IN-N_HID-N_HID2-N_OUT
// with a second hidden layer) over a mini-batch, with LANES MAC lanes, feeding the loss unit
// (LOSS 0: MSE, pezo_train_loss; 1: multi-class hinge, pezo_train_hinge).
//
// Per sample (from the sample buffer): for every neuron o of each layer in turn, read the
// LANES-word rows of W_o (LANES inputs per clock), then the row holding b_o:
//     acc = sum_i W[o,i] * h[i] + (b_o << IF)        (IF = X_FRAC in layer 1, else A_FRAC)
//     hidden 1: h = clamp(round_shift(acc, W_FRAC + X_FRAC - A_FRAC), 0, 2^(A_BITS-1) - 1)
//     hidden 2: h2 = clamp(round_shift(acc, W_FRAC), 0, 2^(A_BITS-1) - 1)
//     output:   y = saturate(round_shift(acc, W_FRAC), A_BITS);  S += loss term of y
// One weight-buffer read per clock, no bubbles inside a sample; 2 clocks between samples.
// Clocks per sample: 2 + N_HID*(N_IN/LANES + 1) + N_HID2*(N_HID/LANES + 1)
//                      + N_OUT*(N_LAST/LANES + 1), N_LAST = N_HID2 > 0 ? N_HID2 : N_HID;
// the hinge loss adds 1 clock per forward (its margins, after the last output).
// Bit-exact model: ref_model/fixed_model.py (forward, loss_sum mse / hinge).

module pezo_train_fwd #(
    // Layer sizes. N_IN and N_HID multiples of LANES (>= LANES); N_OUT 2..16 (4-bit labels).
    parameter integer N_IN = 64,
    parameter integer N_HID = 16,
    parameter integer N_OUT = 10,
    // Second hidden layer: 0 (none) or a multiple of LANES.
    parameter integer N_HID2 = 0,
    // Loss: 0 MSE, 1 multi-class hinge.
    parameter integer LOSS = 0,
    // MAC lanes = words per weight-buffer row. A power of two.
    parameter integer LANES = 4,
    // Weight format.
    parameter integer W_BITS = 16,
    parameter integer W_FRAC = 12,
    // Input fraction bits (x = pixel << (X_FRAC - 4)). >= 4.
    parameter integer X_FRAC = 4,
    // Activation / output format.
    parameter integer A_BITS = 16,
    parameter integer A_FRAC = 8,
    // Stored pixel width (raw pixels 0..16).
    parameter integer PIX_W = 8,
    // Sample-buffer address width and batch-count width.
    parameter integer SA_W = 5,
    parameter integer B_W = 7,
    // Weight-buffer row address width.
    parameter integer RA_W = 9,
    // Loss sum width.
    parameter integer LOSS_W = 48
) (
    input  wire                          clk_i,
    input  wire                          rst_ni,

    // Control: start_i (while idle) runs batch_i samples; done_o pulses when S is final.
    input  wire                          start_i,
    input  wire [B_W-1:0]                batch_i,
    output wire                          busy_o,
    output wire                          done_o,
    output wire [LOSS_W-1:0]             loss_o,

    // Sample buffer read port (registered read): row = {label, pixels}.
    output wire [SA_W-1:0]               x_addr_o,
    output wire                          x_re_o,
    input  wire [N_IN*PIX_W+3:0]         x_rdata_i,

    // Weight buffer read port (registered read).
    output wire [RA_W-1:0]               w_addr_o,
    output wire                          w_re_o,
    input  wire [LANES*W_BITS-1:0]       w_rdata_i
);

localparam integer LG = (LANES > 1) ? $clog2(LANES) : 1;  // width of a lane index
localparam integer LANE_BITS = $clog2(LANES);              // word-address bits of the lane
// the divisor, never 0, so that LANES = 0 reaches the check
localparam integer LANES_DIV = (LANES > 0) ? LANES : 1;
localparam integer K1 = N_IN / LANES_DIV;
localparam integer K2 = N_HID / LANES_DIV;
localparam integer K3 = N_HID2 / LANES_DIV;
localparam integer HAS_H2 = (N_HID2 > 0) ? 1 : 0;
localparam integer N_L2 = (N_HID2 > 0) ? N_HID2 : N_OUT;  // neurons of the second layer
localparam integer H2_N = (N_HID2 > 0) ? N_HID2 : 1;      // h2 buffer entries, never 0
// layout (ref_model/layout.py): per layer W row-major, then b
localparam integer B1_OFF = N_HID * N_IN;
localparam integer W2_OFF = B1_OFF + N_HID;
localparam integer B2_OFF = W2_OFF + N_L2 * N_HID;
localparam integer W3_OFF = B2_OFF + N_L2;
localparam integer B3_OFF = W3_OFF + N_OUT * N_HID2;
localparam integer D = (N_HID2 > 0) ? B3_OFF + N_OUT : B2_OFF + N_OUT;
localparam integer IDX_W = $clog2(D + 1);
localparam integer CNT_W = 16;
localparam integer ACC_W = W_BITS + A_BITS + $clog2(N_IN + N_HID + N_HID2 + 2) + X_FRAC + 2;
localparam integer SH1 = W_FRAC + X_FRAC - A_FRAC;  // hidden layer 1's rounding shift
localparam integer SH2 = W_FRAC;                    // later layers' rounding shift
localparam integer SAMPLE_W = N_IN * PIX_W + 4;

// check configuration (docs/architecture.md, "RTL conventions": Verilator and yosys stop at
// elaboration; Icarus 11 has no elaboration-time tasks and stops at time 0)
if (LANES < 1 || (LANES & (LANES - 1)) != 0 || N_IN % LANES != 0 ||
    N_HID % LANES != 0) begin : gen_param_error_lanes
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_fwd: LANES=%0d unsupported, need a power of two dividing N_IN=%0d and N_HID=%0d",
        LANES, N_IN, N_HID);
end
if (N_IN < LANES) begin : gen_param_error_n_in
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_fwd: N_IN=%0d unsupported, need >= %0d (N_IN >= LANES)", N_IN, LANES);
end
if (N_HID < LANES) begin : gen_param_error_n_hid
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_fwd: N_HID=%0d unsupported, need >= %0d (N_HID >= LANES)", N_HID, LANES);
end
if (N_HID2 < 0 || N_HID2 % LANES_DIV != 0) begin : gen_param_error_n_hid2
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_fwd: N_HID2=%0d unsupported, need 0 or a multiple of %0d (LANES)",
        N_HID2, LANES);
end
if (LOSS < 0 || LOSS > 1) begin : gen_param_error_loss
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_fwd: LOSS=%0d unsupported, need 0..1 (0 MSE, 1 hinge)", LOSS);
end
if (N_OUT < 2 || N_OUT > 16) begin : gen_param_error_n_out
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_fwd: N_OUT=%0d unsupported, need 2..16", N_OUT);
end
if (X_FRAC < 4) begin : gen_param_error_x_frac
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_fwd: X_FRAC=%0d unsupported, need >= 4", X_FRAC);
end
if (SH1 < 1) begin : gen_param_error_a_frac
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_fwd: A_FRAC=%0d unsupported, need <= %0d (W_FRAC + X_FRAC - 1)",
        A_FRAC, W_FRAC + X_FRAC - 1);
end
if (SH2 < 1) begin : gen_param_error_w_frac
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_fwd: W_FRAC=%0d unsupported, need >= 1", W_FRAC);
end
if (PIX_W + 1 + X_FRAC - 4 > A_BITS) begin : gen_param_error_a_bits
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_fwd: A_BITS=%0d unsupported, need >= %0d (PIX_W + X_FRAC - 3)",
        A_BITS, PIX_W + X_FRAC - 3);
end

localparam [2:0] F_IDLE = 3'd0;   // waiting for start_i
localparam [2:0] F_SREAD = 3'd1;  // sample-buffer read issued
localparam [2:0] F_SLOAD = 3'd2;  // sample registered into x_q
localparam [2:0] F_RUN = 3'd3;    // one weight-row read per clock
localparam [2:0] F_DRAIN = 3'd4;  // last read in the data stage
localparam [2:0] F_DONE = 3'd5;   // S final (done_o)
localparam [2:0] F_FINISH = 3'd6; // LOSS 1: the hinge unit adds the last sample's margins

localparam [1:0] L_H1 = 2'd0;     // layers: hidden 1, hidden 2 (N_HID2 > 0), output
localparam [1:0] L_H2 = 2'd1;
localparam [1:0] L_OUT = 2'd2;
localparam [1:0] L_AFTER_H1 = (N_HID2 > 0) ? L_H2 : L_OUT;

localparam [CNT_W-1:0] K1_LAST = CNT_W'(K1 - 1);
localparam [CNT_W-1:0] K2_LAST = CNT_W'(K2 - 1);
localparam [CNT_W-1:0] K_OUT_LAST = (N_HID2 > 0) ? CNT_W'(K3 - 1) : K2_LAST;
localparam [CNT_W-1:0] H_LAST = CNT_W'(N_HID - 1);
localparam [CNT_W-1:0] H2_LAST = CNT_W'(H2_N - 1);
localparam [CNT_W-1:0] O_LAST = CNT_W'(N_OUT - 1);
localparam [RA_W-1:0] W2_ROW = RA_W'(W2_OFF / LANES_DIV);
localparam [RA_W-1:0] W3_ROW = RA_W'(W3_OFF / LANES_DIV);
localparam [IDX_W-1:0] B1_IDX = IDX_W'(B1_OFF);
localparam [IDX_W-1:0] B2_IDX = IDX_W'(B2_OFF);
localparam [IDX_W-1:0] B3_IDX = IDX_W'(B3_OFF);
localparam [ACC_W-1:0] ONE_ACC = 1;
localparam [ACC_W-1:0] HALF1 = ONE_ACC << (SH1 - 1);
localparam [ACC_W-1:0] HALF2 = ONE_ACC << (SH2 - 1);
localparam [ACC_W-1:0] A_MAX_U = (ONE_ACC << (A_BITS - 1)) - ONE_ACC;
localparam [ACC_W-1:0] A_MIN_U = ~A_MAX_U;

// ---------------------------------------------------------------- issue stage
reg  [2:0]         state_q, state_d;
reg  [B_W-1:0]     batch_q, batch_d;
reg  [SA_W-1:0]    sample_q, sample_d;
reg  [1:0]         layer_q, layer_d;        // L_H1, L_H2, L_OUT
reg  [CNT_W-1:0]   neuron_q, neuron_d;      // neuron of the layer being read
reg  [CNT_W-1:0]   chunk_q, chunk_d;        // LANES-word row within the neuron's weights
reg                bias_row_q, bias_row_d;  // next read is the neuron's bias row
reg  [RA_W-1:0]    w_row_q, w_row_d;        // next weight row
reg  [IDX_W-1:0]   bias_idx_q, bias_idx_d;  // word index of the neuron's bias
reg  [SAMPLE_W-1:0] x_q;

wire run = (state_q == F_RUN);
wire [CNT_W-1:0] chunk_last = (layer_q == L_H1) ? K1_LAST : (layer_q == L_H2) ? K2_LAST
                               : K_OUT_LAST;
wire [CNT_W-1:0] neuron_last = (layer_q == L_H1) ? H_LAST : (layer_q == L_H2) ? H2_LAST
                               : O_LAST;
wire last_sample = ({{(B_W - SA_W){1'b0}}, sample_q} + 1'b1 == batch_q);

always @* begin
    state_d = state_q;
    batch_d = batch_q;
    sample_d = sample_q;
    layer_d = layer_q;
    neuron_d = neuron_q;
    chunk_d = chunk_q;
    bias_row_d = bias_row_q;
    w_row_d = w_row_q;
    bias_idx_d = bias_idx_q;
    case (state_q)
        F_IDLE: begin
            if (start_i) begin
                state_d = F_SREAD;
                batch_d = batch_i;
                sample_d = {SA_W{1'b0}};
            end
        end
        F_SREAD: state_d = F_SLOAD;
        F_SLOAD: begin
            state_d = F_RUN;
            layer_d = L_H1;
            neuron_d = {CNT_W{1'b0}};
            chunk_d = {CNT_W{1'b0}};
            bias_row_d = 1'b0;
            w_row_d = {RA_W{1'b0}};
            bias_idx_d = B1_IDX;
        end
        F_RUN: begin
            if (!bias_row_q) begin
                w_row_d = w_row_q + 1'b1;
                if (chunk_q == chunk_last) begin
                    chunk_d = {CNT_W{1'b0}};
                    bias_row_d = 1'b1;
                end else begin
                    chunk_d = chunk_q + 1'b1;
                end
            end else begin
                bias_row_d = 1'b0;
                bias_idx_d = bias_idx_q + 1'b1;
                neuron_d = neuron_q + 1'b1;
                if (neuron_q == neuron_last) begin
                    neuron_d = {CNT_W{1'b0}};
                    if (layer_q == L_H1) begin
                        layer_d = L_AFTER_H1;
                        w_row_d = W2_ROW;
                        bias_idx_d = B2_IDX;
                    end else if (layer_q == L_H2) begin
                        layer_d = L_OUT;
                        w_row_d = W3_ROW;
                        bias_idx_d = B3_IDX;
                    end else if (last_sample) begin
                        state_d = F_DRAIN;
                    end else begin
                        state_d = F_SREAD;
                        sample_d = sample_q + 1'b1;
                    end
                end
            end
        end
        F_DRAIN: state_d = (LOSS == 1) ? F_FINISH : F_DONE;
        F_FINISH: state_d = F_DONE;
        F_DONE: state_d = F_IDLE;
        default: state_d = F_IDLE;
    endcase
end

always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
        state_q <= F_IDLE;
        batch_q <= {B_W{1'b0}};
        sample_q <= {SA_W{1'b0}};
        layer_q <= L_H1;
        neuron_q <= {CNT_W{1'b0}};
        chunk_q <= {CNT_W{1'b0}};
        bias_row_q <= 1'b0;
        w_row_q <= {RA_W{1'b0}};
        bias_idx_q <= {IDX_W{1'b0}};
    end else begin
        state_q <= state_d;
        batch_q <= batch_d;
        sample_q <= sample_d;
        layer_q <= layer_d;
        neuron_q <= neuron_d;
        chunk_q <= chunk_d;
        bias_row_q <= bias_row_d;
        w_row_q <= w_row_d;
        bias_idx_q <= bias_idx_d;
    end
end

always @(posedge clk_i) begin
    if (state_q == F_SLOAD) begin
        x_q <= x_rdata_i;
    end
end

assign x_addr_o = sample_q;
assign x_re_o = (state_q == F_SREAD);
assign w_addr_o = bias_row_q ? RA_W'(bias_idx_q >> LANE_BITS) : w_row_q;
assign w_re_o = run;

// ---------------------------------------------------------------- data stage
reg                 data_valid_q;
reg                 data_bias_q;
reg                 data_first_q;
reg  [1:0]          data_layer_q;
reg  [CNT_W-1:0]    data_chunk_q;
reg  [CNT_W-1:0]    data_neuron_q;
reg  [LG-1:0]       data_lane_q;
reg  signed [ACC_W-1:0] acc_q;
reg  [N_HID*A_BITS-1:0] h_q;
wire [H2_N*A_BITS-1:0]  h2;      // hidden layer 2's activations (N_HID2 > 0)
wire data_in_pix = (data_layer_q == L_H1);                    // layer 1 reads the pixels
wire data_in_h2 = (HAS_H2 == 1) && (data_layer_q == L_OUT);   // the output layer reads h2

always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
        data_valid_q <= 1'b0;
        data_bias_q <= 1'b0;
        data_first_q <= 1'b0;
        data_layer_q <= L_H1;
        data_chunk_q <= {CNT_W{1'b0}};
        data_neuron_q <= {CNT_W{1'b0}};
        data_lane_q <= {LG{1'b0}};
    end else begin
        data_valid_q <= run;
        data_bias_q <= bias_row_q;
        data_first_q <= (chunk_q == {CNT_W{1'b0}});
        data_layer_q <= layer_q;
        data_chunk_q <= chunk_q;
        data_neuron_q <= neuron_q;
        data_lane_q <= (LANES > 1) ? LG'(bias_idx_q) : {LG{1'b0}};
    end
end

// MAC lanes: dot = sum_l W[l] * in[l]
reg signed [ACC_W-1:0] dot;
reg signed [A_BITS-1:0] in_l;
reg signed [W_BITS-1:0] w_l;
reg signed [ACC_W-1:0] in_x;
reg signed [ACC_W-1:0] w_x;
reg [PIX_W-1:0] pix;
integer l;

always @* begin
    dot = {ACC_W{1'b0}};
    for (l = 0; l < LANES; l = l + 1) begin
        pix = x_q[(32'(data_chunk_q) * LANES + l) * PIX_W +: PIX_W];
        in_l = data_in_pix ? $signed(A_BITS'({1'b0, pix}) << (X_FRAC - 4))
             : data_in_h2 ? $signed(h2[(32'(data_chunk_q) * LANES + l) * A_BITS +: A_BITS])
             : $signed(h_q[(32'(data_chunk_q) * LANES + l) * A_BITS +: A_BITS]);
        w_l = $signed(w_rdata_i[l * W_BITS +: W_BITS]);
        in_x = ACC_W'(in_l);
        w_x = ACC_W'(w_l);
        dot = dot + w_x * in_x;
    end
end

// ReLU, then clamp to the largest activation
function automatic [A_BITS-1:0] relu_clamp(input signed [ACC_W-1:0] r);
    relu_clamp = (r < 0) ? {A_BITS{1'b0}} : (r > $signed(A_MAX_U)) ? A_MAX_U[A_BITS-1:0]
                 : r[A_BITS-1:0];
endfunction

// neuron completion: bias, rounding, activation
wire signed [W_BITS-1:0] bias = $signed(w_rdata_i[32'(data_lane_q) * W_BITS +: W_BITS]);
wire signed [ACC_W-1:0]  bias_ext = ACC_W'(bias);
wire signed [ACC_W-1:0]  total = acc_q + (data_in_pix ? (bias_ext <<< X_FRAC) : (bias_ext <<< A_FRAC));
wire signed [ACC_W-1:0]  r1 = (total + $signed(HALF1)) >>> SH1;
wire signed [ACC_W-1:0]  r2 = (total + $signed(HALF2)) >>> SH2;
wire signed [ACC_W-1:0]  a_max = $signed(A_MAX_U);
wire signed [ACC_W-1:0]  a_min = $signed(A_MIN_U);
wire [A_BITS-1:0] h_new = relu_clamp(r1);
wire signed [A_BITS-1:0] y_new = (r2 > a_max) ? a_max[A_BITS-1:0] :
                          (r2 < a_min) ? a_min[A_BITS-1:0] : r2[A_BITS-1:0];
wire neuron_done = data_valid_q && data_bias_q;
wire out_done = neuron_done && (data_layer_q == L_OUT);
wire [3:0] label = x_q[SAMPLE_W-1 -: 4];

always @(posedge clk_i) begin
    if (data_valid_q && !data_bias_q) begin
        acc_q <= data_first_q ? dot : acc_q + dot;
    end
    if (neuron_done && data_layer_q == L_H1) begin
        h_q[32'(data_neuron_q) * A_BITS +: A_BITS] <= h_new;
    end
end

if (N_HID2 > 0) begin : gen_h2
    reg [N_HID2*A_BITS-1:0] h2_q;
    wire [A_BITS-1:0] h2_new = relu_clamp(r2);
    always @(posedge clk_i) begin
        if (neuron_done && data_layer_q == L_H2) begin
            h2_q[32'(data_neuron_q) * A_BITS +: A_BITS] <= h2_new;
        end
    end
    assign h2 = h2_q;
end else begin : gen_no_h2
    assign h2 = {A_BITS{1'b0}};
end

wire loss_clear = (state_q == F_IDLE && start_i);
if (LOSS == 1) begin : gen_hinge
    pezo_train_hinge #(
        .A_BITS(A_BITS),
        .A_FRAC(A_FRAC),
        .N_OUT(N_OUT),
        .LOSS_W(LOSS_W)
    ) u_hinge (
        .clk_i(clk_i),
        .rst_ni(rst_ni),
        .clear_i(loss_clear),
        .add_i(out_done),
        .idx_i(data_neuron_q[3:0]),
        .last_i(data_neuron_q == O_LAST),
        .y_i(y_new),
        .label_i(label),
        .sum_o(loss_o)
    );
end else begin : gen_mse
    pezo_train_loss #(
        .A_BITS(A_BITS),
        .A_FRAC(A_FRAC),
        .LOSS_W(LOSS_W)
    ) u_loss (
        .clk_i(clk_i),
        .rst_ni(rst_ni),
        .clear_i(loss_clear),
        .add_i(out_done),
        .y_i(y_new),
        .is_label_i({{(CNT_W - 4){1'b0}}, label} == data_neuron_q),
        .sum_o(loss_o)
    );
end

assign busy_o = (state_q != F_IDLE);
assign done_o = (state_q == F_DONE);

endmodule

`default_nettype wire
