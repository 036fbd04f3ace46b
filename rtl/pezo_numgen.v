// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// pezo_numgen: one number generator: a pezo_lfsr leaping K*W bits per clock and a small adder.
//
// The LFSR word holds K consecutive W-bit words s_0 .. s_K-1 (word k = bits [k*W +: W],
// exactly the words K clocks of a W-bit pezo_lfsr would emit). The number num_o (W
// fraction bits, two's complement, sign-extended to NUM_W) is:
//   DIST = 0 (uniform): v = 2*s_0 + 1                      (K must be 1)
//   DIST = 1 (CLT):     v = sum_k (2*s_k + 1)              (Irwin-Hall; K = 3 is the
//                       reference's `gaussian`; for K = 3*4^m the variance is 4^m, read
//                       v with W + m fraction bits to normalise: a shift, no logic)
//   DIST = 2 (ICDF):    v = round(invPhi(q) * 2^W), q from the K*W-bit uniform word
//                       (pezo_gauss_icdf, piecewise-quadratic, coefficients in a ROM)
//   DIST = 3 (Box-Muller): v = round(sqrt(-2 ln Q) cos(2 pi A) * 2^W), Q and A from the
//                       K*W-bit uniform word (pezo_gauss_bm: radius and cosine tables)
// One number per clock with en_i high; num_o depends on registers only.
// Bit-exact model: ref_model/array_model.py (uses ref_model/sources.py, gauss_icdf.py,
// gauss_bm.py).

module pezo_numgen #(
    // Distribution, 0..3: 0 = uniform, 1 = CLT sum of K uniforms, 2 = inverse-CDF Gaussian,
    // 3 = Box-Muller Gaussian.
    parameter integer DIST = 0,
    // LFSR word width: one uniform s is a signed W-bit word. 2..16.
    parameter integer W = 8,
    // Words per number, 1..STATE_W/W: 1 for uniform; ICDF: K*W-bit uniform, K*W in 16..32;
    // Box-Muller: K*W in 32..48.
    parameter integer K = 1,
    // Output width, NEED_W..32: the number needs uniform W+1, CLT W+1+clog2(K), ICDF and
    // Box-Muller W+4.
    parameter integer NUM_W = 9,
    // LFSR state width (period 2^STATE_W - 1); K*W <= STATE_W <= 64.
    parameter integer STATE_W = 32,
    // LFSR feedback mask (see pezo_lfsr); maximal-length for STATE_W.
    parameter [63:0] TAPS = 64'h0040_0007,
    // Substituted for an all-zero LFSR state. Non-zero.
    parameter [63:0] ZERO_SUBST = 64'd1
) (
    input  wire               clk_i,
    input  wire               rst_ni,

    // Seed / state load (priority over en_i); a zero value loads ZERO_SUBST.
    input  wire               seed_load_i,
    input  wire [STATE_W-1:0] seed_i,

    // Consume num_o and leap (K*W LFSR bit steps) on every clock with en_i high.
    input  wire               en_i,
    output wire [K*W-1:0]     rnd_o,   // the raw LFSR word (the next K*W sequence bits)
    output wire [NUM_W-1:0]   num_o
);

localparam integer OUT_W = K * W;
// width of a sum of K odd numbers in (-2^W, 2^W): W + 1 + clog2(K)
localparam integer SUM_W = W + 1 + $clog2(K);
localparam integer NEED_W = (DIST >= 2) ? W + 4 : (DIST == 1) ? SUM_W : W + 1;

// check configuration (docs/architecture.md, "RTL conventions")
if (DIST < 0 || DIST > 3) begin : gen_param_error_dist
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_numgen: DIST=%0d unsupported, need 0..3", DIST);
end
if (W < 2 || W > 16) begin : gen_param_error_w
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_numgen: W=%0d unsupported, need 2..16", W);
end
if (K < 1 || K * W > STATE_W) begin : gen_param_error_k
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_numgen: K=%0d unsupported, need 1..%0d (K*W <= STATE_W)", K, STATE_W / W);
end
if (DIST == 0 && K != 1) begin : gen_param_error_k_uniform
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_numgen: K=%0d unsupported, need 1 (DIST=0, uniform)", K);
end
if (DIST == 2 && (K * W < 16 || K * W > 32)) begin : gen_param_error_k_icdf
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_numgen: K*W=%0d unsupported, need 16..32 (DIST=2, ICDF)", K * W);
end
if (DIST == 3 && (K * W < 32 || K * W > 48)) begin : gen_param_error_k_bm
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_numgen: K*W=%0d unsupported, need 32..48 (DIST=3, Box-Muller)", K * W);
end
if (NUM_W < NEED_W || NUM_W > 32) begin : gen_param_error_num_w
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_numgen: NUM_W=%0d unsupported, need %0d..32", NUM_W, NEED_W);
end

pezo_lfsr #(
    .STATE_W   (STATE_W),
    .OUT_W     (OUT_W),
    .TAPS      (TAPS),
    .ZERO_SUBST(ZERO_SUBST)
) u_lfsr (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .seed_load_i(seed_load_i),
    .seed_i     (seed_i),
    .en_i       (en_i),
    .rnd_o      (rnd_o)
);

// sign bits above a W+4-bit Gaussian (none when NUM_W is illegally narrow: it still
// reaches its check on Icarus)
localparam integer EXT_W = (NUM_W > W + 4) ? NUM_W - W - 4 : 0;

if (DIST == 2) begin : gen_icdf
    wire [W+3:0] icdf;
    pezo_gauss_icdf #(
        .U_W (OUT_W),
        .FRAC(W)
    ) u_icdf (
        .u_i(rnd_o),
        .x_o(icdf)
    );
    assign num_o = {{EXT_W{icdf[W+3]}}, icdf};
end else if (DIST == 3) begin : gen_bm
    wire [W+3:0] bm;
    pezo_gauss_bm #(
        .U_W (OUT_W),
        .FRAC(W)
    ) u_bm (
        .u_i(rnd_o),
        .z_o(bm)
    );
    assign num_o = {{EXT_W{bm[W+3]}}, bm};
end else begin : gen_sum
    reg signed [SUM_W-1:0] sum;
    integer k;
    // sum of K odd numbers 2*s_k + 1 (s_k signed W-bit)
    always @* begin
        sum = {SUM_W{1'b0}};
        for (k = 0; k < K; k = k + 1) begin
            sum = sum + {{(SUM_W - W - 1){rnd_o[k*W + W - 1]}}, rnd_o[k*W +: W], 1'b1};
        end
    end
    if (NUM_W > SUM_W) begin : gen_ext
        assign num_o = {{(NUM_W - SUM_W){sum[SUM_W-1]}}, sum};
    end else begin : gen_fit
        // NUM_W >= NEED_W: uniform needs only W+1 of the SUM_W bits (K = 1)
        assign num_o = sum[NUM_W-1:0];
    end
end

endmodule

`default_nettype wire
