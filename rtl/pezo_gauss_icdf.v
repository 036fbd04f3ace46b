// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// pezo_gauss_icdf: Gaussian from one uniform word by a piecewise-quadratic inverse CDF.
//
// x = u left-aligned to 32 bits (the bit below u set); sign = x[31]; r = x[30:0];
// tail probability q = (2r+1)/2^33. Octave e = clz(r) (segments spaced in powers of two
// toward the tail), mant = (2r+1) << e; 8 equal segments per octave (mant[30:28]); a
// quadratic in t = mant[27:12] with ROM coefficients (pezo_gauss_icdf_rom, 20 fraction
// bits); |z| rounded to FRAC fraction bits; z = sign ? -|z| : |z|. Combinational.
// Bit-exact model and ROM generator: ref_model/gauss_icdf.py.

module pezo_gauss_icdf #(
    // Width of the uniform input word. 16..32 (|z| reaches 4 sigma from U_W = 16).
    parameter integer U_W = 32,
    // Fraction bits of the output; the output is FRAC+4 bits (|z| < 8). 2..16.
    parameter integer FRAC = 8
) (
    input  wire [U_W-1:0]    u_i,
    output wire [FRAC+3:0]   x_o
);

localparam integer S = 3;     // log2(segments per octave)
localparam integer TB = 16;   // bits of the position t
localparam integer CF = 20;   // fraction bits of the coefficients

// check configuration (docs/architecture.md, "RTL conventions")
if (U_W < 16 || U_W > 32) begin : gen_param_error_u_w
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_gauss_icdf: U_W=%0d unsupported, need 16..32", U_W);
end
if (FRAC < 2 || FRAC > 16) begin : gen_param_error_frac
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_gauss_icdf: FRAC=%0d unsupported, need 2..16", FRAC);
end

// left-align to 32 bits, the bit below the word set (the centre of its interval)
wire [31:0] x;
if (U_W >= 32) begin : gen_full  // (> 32 only when illegal: it still reaches its check)
    assign x = u_i[U_W-1 -: 32];
end else begin : gen_align
    assign x = {u_i, 1'b1, {(31 - U_W){1'b0}}};
end

wire [30:0] r = x[30:0];

// octave: leading zeros of r (31 when r = 0)
reg [4:0] e;
integer b;
always @* begin
    e = 5'd31;
    for (b = 0; b < 31; b = b + 1) begin
        if (r[b]) begin
            e = 5'd30 - 5'(b);
        end
    end
end

wire [31:0] mant = {r, 1'b1} << e;          // in [2^31, 2^32)
wire [S-1:0] seg = mant[30:31-S];
wire [TB-1:0] t = mant[30-S:31-S-TB];

wire signed [23:0] c0;
wire signed [17:0] c1;
wire signed [13:0] c2;

pezo_gauss_icdf_rom u_rom (
    .addr_i({e, seg}),
    .c0_o  (c0),
    .c1_o  (c1),
    .c2_o  (c2)
);

// Horner with floor shifts: y = c0 + ((c1 + ((c2*t) >>> TB)) * t >>> TB); every product
// fits its width (|c2*t| < 2^29, |h*t| < 2^34), so the operands are sign-extended to it.
wire signed [30:0] p2 = {{17{c2[13]}}, c2} * {15'd0, t};
wire signed [18:0] h = {c1[17], c1} + {{4{p2[30]}}, p2[30:TB]};
wire signed [35:0] p1 = {{17{h[18]}}, h} * {20'd0, t};
wire signed [24:0] y = {c0[23], c0} + {{5{p1[35]}}, p1[35:TB]};

// round to FRAC fraction bits, clamp at 0 (|z| < 6.4 < 8: FRAC+3 magnitude bits)
localparam integer SH = CF - FRAC;
localparam [24:0] HALF = 25'd1 << (SH - 1);
wire [24:0] yr = y + HALF;
wire [FRAC+2:0] mag = yr[24] ? {(FRAC+3){1'b0}} : yr[SH +: FRAC+3];
wire [FRAC+3:0] mag_ext = {1'b0, mag};

assign x_o = x[31] ? -mag_ext : mag_ext;

// mant[31] is always 1; bits below t and the rounding bits are dropped by design
wire unused_bits = ^{mant[31], mant[31-S-TB-1:0], p2[TB-1:0], p1[TB-1:0], yr[23], yr[SH-1:0]};

endmodule

`default_nettype wire
