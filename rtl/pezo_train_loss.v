// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// pezo_train_loss: the MSE loss unit, an exact integer sum S of squared output errors.
//
// Per output y (A_FRAC fraction bits): e = y - (is_label ? 2^A_FRAC : 0); S += e^2.
// S is never rounded (its value is S / 2^(2*A_FRAC + log2 B)); model:
// ref_model/fixed_model.py loss_sum(kind="mse").

module pezo_train_loss #(
    // Output width (signed, A_FRAC fraction bits). 2..32.
    parameter integer A_BITS = 16,
    // Fraction bits of the outputs. 0..A_BITS-2.
    parameter integer A_FRAC = 8,
    // Width of S (unsigned). >= 2*A_BITS + 2 + log2(batch * classes).
    parameter integer LOSS_W = 48
) (
    input  wire                     clk_i,
    input  wire                     rst_ni,

    input  wire                     clear_i,    // S = 0 (has priority over add_i)
    input  wire                     add_i,      // accumulate one output
    input  wire signed [A_BITS-1:0] y_i,
    input  wire                     is_label_i,
    output wire [LOSS_W-1:0]        sum_o
);

// check configuration (docs/architecture.md, "RTL conventions": Verilator and yosys stop at
// elaboration; Icarus 11 has no elaboration-time tasks and stops at time 0)
if (A_BITS < 2 || A_BITS > 32) begin : gen_param_error_a_bits
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_loss: A_BITS=%0d unsupported, need 2..32", A_BITS);
end
if (A_FRAC < 0 || A_FRAC > A_BITS - 2) begin : gen_param_error_a_frac
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_loss: A_FRAC=%0d unsupported, need 0..%0d (A_BITS - 2)", A_FRAC, A_BITS - 2);
end
if (LOSS_W < 2 * A_BITS + 2) begin : gen_param_error_loss_w
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_train_loss: LOSS_W=%0d unsupported, need >= %0d (2*A_BITS + 2)",
        LOSS_W, 2 * A_BITS + 2);
end

localparam integer E_W = A_BITS + 1;
localparam [E_W-1:0] ONE = 1;
localparam [E_W-1:0] TARGET = ONE << A_FRAC;

wire signed [E_W-1:0]      y_ext = {y_i[A_BITS-1], y_i};
wire signed [E_W-1:0]      e = is_label_i ? y_ext - $signed(TARGET) : y_ext;
wire signed [2*E_W-1:0]    sq = e * e;
reg  [LOSS_W-1:0]          sum_q;
reg  [LOSS_W-1:0]          sum_d;

always @* begin
    sum_d = sum_q;
    if (clear_i) begin
        sum_d = {LOSS_W{1'b0}};
    end else if (add_i) begin
        sum_d = sum_q + LOSS_W'($unsigned(sq));  // a cast: LOSS_W < 2*E_W still reaches the check
    end
end

always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
        sum_q <= {LOSS_W{1'b0}};
    end else begin
        sum_q <= sum_d;
    end
end

assign sum_o = sum_q;

endmodule

`default_nettype wire
