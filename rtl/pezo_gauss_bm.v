// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// pezo_gauss_bm: Gaussian from one uniform word by Box-Muller, z = sqrt(-2 ln Q) cos(2 pi A).
//
// Radius: the high U_W-16 bits, left-aligned to 32 bits with the bit below them set, split
// like pezo_gauss_icdf's input: side = x[31], rank r = x[30:0], rho = (2r+1)/2^33 in
// (0, 1/2), Q = rho (side 0) or 1 - rho (side 1); octave e = clz(r), mant = (2r+1) << e,
// segment mant[30:28], t = mant[27:12]; R = sqrt(-2 ln Q) as one quadratic in t per
// (side, e, segment) (log and square root fused in one table, 20 fraction bits).
// Angle: the low 16 bits; quadrant a[15:14], the rest folded to the first quarter turn;
// |cos| as one quadratic per 1/32 of the quarter (20 fraction bits); negative in
// quadrants 1 and 2. |z| = R * |cos| rounded to FRAC fraction bits. Combinational.
// Bit-exact model and ROM generator: ref_model/gauss_bm.py (ROM: pezo_gauss_bm_rom).

module pezo_gauss_bm #(
    // Width of the uniform word: U_W-16 radius bits (16..32), 16 angle bits. 32..48.
    parameter integer U_W = 32,
    // Fraction bits of the output; the output is FRAC+4 bits (|z| < 6.8 < 8). 2..16.
    parameter integer FRAC = 8
) (
    input  wire [U_W-1:0]  u_i,
    output wire [FRAC+3:0] z_o
);

localparam integer A_W = 16;           // angle bits
// radius bits (clamped so that an illegal U_W still reaches its check)
localparam integer R_W = (U_W > 48) ? 32 : U_W - A_W;
localparam integer TB = 16;            // bits of the radius position t
localparam integer CTB = 9;            // bits of the cosine position
localparam integer CF = 20;            // fraction bits of R and of |cos|

// check configuration (docs/architecture.md, "RTL conventions": Verilator and yosys stop at
// elaboration; Icarus 11 has no elaboration-time tasks and stops at time 0)
if (U_W < 32 || U_W > 48) begin : gen_param_error_u_w
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_gauss_bm: U_W=%0d unsupported, need 32..48", U_W);
end
if (FRAC < 2 || FRAC > 16) begin : gen_param_error_frac
    `ifdef __ICARUS__ initial $fatal(1, `else $error( `endif
        "pezo_gauss_bm: FRAC=%0d unsupported, need 2..16", FRAC);
end

// --- radius R = sqrt(-2 ln Q), CF fraction bits

// left-align to 32 bits, the bit below the word set (the centre of its interval)
wire [31:0] x;
if (R_W == 32) begin : gen_full
    assign x = u_i[U_W-1 -: 32];
end else begin : gen_align
    assign x = {u_i[U_W-1 -: R_W], 1'b1, {(31 - R_W){1'b0}}};
end

wire        side = x[31];
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
wire [TB-1:0] t = mant[27:28-TB];

wire signed [23:0] c0;
wire signed [17:0] c1;
wire signed [12:0] c2;
wire [4:0]         cos_seg;
wire signed [21:0] b0;
wire signed [16:0] b1;
wire signed [11:0] b2;

pezo_gauss_bm_rom u_rom (
    .rad_addr_i({side, e, mant[30:28]}),
    .rad_c0_o  (c0),
    .rad_c1_o  (c1),
    .rad_c2_o  (c2),
    .cos_addr_i(cos_seg),
    .cos_c0_o  (b0),
    .cos_c1_o  (b1),
    .cos_c2_o  (b2)
);

// Horner with floor shifts: y = c0 + ((c1 + ((c2*t) >>> TB)) * t >>> TB); signed
// products of the operands' own widths (|c2*t| < 2^28, |h*t| < 2^34)
wire signed [TB:0]   t_s = $signed({1'b0, t});
wire signed [29:0]   p2 = c2 * t_s;
wire signed [18:0]   h = 19'(c1) + 19'($signed(p2[29:TB]));
wire signed [35:0]   p1 = h * t_s;
wire signed [24:0]   y = 25'(c0) + 25'($signed(p1[35:TB]));

// clamp at 0 (R < 6.8 < 8: 3 integer bits)
wire [CF+2:0] radius = y[24] ? {(CF+3){1'b0}} : y[CF+2:0];

// --- |cos(2 pi A)|, CF fraction bits, and the sign

wire [1:0]  quadrant = u_i[A_W-1:A_W-2];
wire [13:0] j = u_i[A_W-3:0];
wire [13:0] jj = quadrant[0] ? ~j : j;     // quadrants 1, 3: cos(pi/2 (1 - position))
wire [CTB-1:0] ct = jj[CTB-1:0];
assign cos_seg = jj[13:CTB];

// the same Horner steps (|b2*ct| < 2^20, |hc*ct| < 2^26)
wire signed [CTB:0]  ct_s = $signed({1'b0, ct});
wire signed [21:0]   q2 = b2 * ct_s;
wire signed [17:0]   hc = 18'(b1) + 18'($signed(q2[21:CTB]));
wire signed [27:0]   q1 = hc * ct_s;
wire signed [22:0]   yc = 23'(b0) + 23'($signed(q1[27:CTB]));

// clamp to [0, 1]
localparam [22:0] ONE = 23'd1 << CF;
wire [CF:0] cosine = yc[22] ? {(CF+1){1'b0}} : (yc > $signed(ONE)) ? ONE[CF:0] : yc[CF:0];

wire negative = quadrant[1] ^ quadrant[0];

// --- z = +-R |cos| rounded to FRAC fraction bits (R |cos| < 2^43: 44 bits hold the sum)

localparam integer SH = 2 * CF - FRAC;
localparam [43:0] HALF = 44'd1 << (SH - 1);
wire [43:0] prod = radius * cosine;
wire [43:0] prod_r = prod + HALF;
wire [FRAC+2:0] mag = prod_r[SH +: FRAC+3];
wire [FRAC+3:0] mag_ext = (FRAC+4)'(mag);

assign z_o = negative ? -mag_ext : mag_ext;

// mant[31] is always 1; bits below t and below the rounding point are dropped by design
wire unused_bits = ^{mant[31], mant[28-TB-1:0], p2[TB-1:0], p1[TB-1:0], y[23:CF+3],
                     q2[CTB-1:0], q1[CTB-1:0], yc[21:CF+1], prod_r[43:SH+FRAC+3],
                     prod_r[SH-1:0]};

endmodule

`default_nettype wire
