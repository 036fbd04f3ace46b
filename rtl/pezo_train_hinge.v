// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// pezo_train_hinge: the multi-class hinge loss unit, an exact integer sum S of margins.
//
// The N_OUT outputs of a sample arrive one by one (idx_i = output index) and are buffered,
// the label with the last one (last_i); the clock after it adds the sample's margins:
//     S += sum_{c != label} max(0, 2^A_FRAC + y_c - y_label)
// S is never rounded (its value is S / 2^(A_FRAC + log2 B)); model:
// ref_model/fixed_model.py loss_sum(kind="hinge"). sum_o is final one clock after the last
// sample's last output (pezo_train_fwd waits that clock when LOSS = 1).

module pezo_train_hinge #(
    // Output width (signed, A_FRAC fraction bits). 2..32.
    parameter integer A_BITS = 16,
    // Fraction bits of the outputs (the margin is 2^A_FRAC). 0..A_BITS-2.
    parameter integer A_FRAC = 8,
    // Outputs per sample (classes). 2..16 (4-bit labels).
    parameter integer N_OUT = 10,
    // Width of S (unsigned). >= A_BITS + 5 (one sample's margins) + log2(batch).
    parameter integer LOSS_W = 48
) (
    input  wire                     clk_i,
    input  wire                     rst_ni,

    input  wire                     clear_i,    // S = 0 (has priority over add_i)
    input  wire                     add_i,      // buffer one output
    input  wire [3:0]               idx_i,      // its index (class)
    input  wire                     last_i,     // the sample's last output: margins next clock
    input  wire signed [A_BITS-1:0] y_i,
    input  wire [3:0]               label_i,    // the sample's label (with last_i)
    output wire [LOSS_W-1:0]        sum_o
);

// check configuration (docs/architecture.md, "RTL conventions": Verilator and yosys stop at
// elaboration; Icarus 11 has no elaboration-time tasks and stops at time 0)
if (A_BITS < 2 || A_BITS > 32) begin : gen_param_error_a_bits
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_hinge: A_BITS=%0d unsupported, need 2..32", A_BITS);
end
if (A_FRAC < 0 || A_FRAC > A_BITS - 2) begin : gen_param_error_a_frac
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_hinge: A_FRAC=%0d unsupported, need 0..%0d (A_BITS - 2)", A_FRAC, A_BITS - 2);
end
if (N_OUT < 2 || N_OUT > 16) begin : gen_param_error_n_out
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_hinge: N_OUT=%0d unsupported, need 2..16", N_OUT);
end
if (LOSS_W < A_BITS + 5) begin : gen_param_error_loss_w
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_hinge: LOSS_W=%0d unsupported, need >= %0d (A_BITS + 5)",
        LOSS_W, A_BITS + 5);
end

// the buffer's size, never 0, so that N_OUT < 2 reaches its check
localparam integer N_BUF = (N_OUT > 1) ? N_OUT : 2;
localparam integer M_W = A_BITS + 2;   // a margin: 2^A_FRAC + y_c - y_label, signed
localparam integer SUM_W = M_W + 4;    // up to 15 margins
localparam [M_W-1:0] ONE_M = 1;
localparam [M_W-1:0] MARGIN = ONE_M << A_FRAC;

reg  [N_BUF*A_BITS-1:0] y_q;
reg  [3:0]              label_q;
reg                     finish_q, finish_d;  // add the buffered sample's margins
reg  [LOSS_W-1:0]       sum_q, sum_d;

// the sample's margins, from the buffer
reg signed [M_W-1:0]   y_label;
reg signed [M_W-1:0]   y_c;
reg signed [M_W-1:0]   margin;
reg        [SUM_W-1:0] margins;
integer c;

always @* begin
    y_label = {M_W{1'b0}};
    for (c = 0; c < N_OUT; c = c + 1) begin
        if (label_q == 4'(c)) begin
            y_label = M_W'($signed(y_q[c * A_BITS +: A_BITS]));
        end
    end
    margins = {SUM_W{1'b0}};
    for (c = 0; c < N_OUT; c = c + 1) begin
        y_c = M_W'($signed(y_q[c * A_BITS +: A_BITS]));
        margin = $signed(MARGIN) + y_c - y_label;
        if (label_q != 4'(c) && margin > 0) begin
            margins = margins + SUM_W'($unsigned(margin));
        end
    end
end

always @* begin
    sum_d = sum_q;
    finish_d = add_i && last_i && !clear_i;
    if (clear_i) begin
        sum_d = {LOSS_W{1'b0}};
    end else if (finish_q) begin
        sum_d = sum_q + LOSS_W'(margins);  // a cast: LOSS_W < SUM_W still reaches the check
    end
end

always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
        sum_q <= {LOSS_W{1'b0}};
        finish_q <= 1'b0;
    end else begin
        sum_q <= sum_d;
        finish_q <= finish_d;
    end
end

// the buffer (no reset: every entry is written before the margins read it)
always @(posedge clk_i) begin
    if (add_i) begin
        y_q[32'(idx_i) * A_BITS +: A_BITS] <= y_i;
        if (last_i) begin
            label_q <= label_i;
        end
    end
end

assign sum_o = sum_q;

endmodule

`default_nettype wire
