"""pyuvm tests for the Gaussian baselines served by rtl/pezo_rng_array.v, the CLT sum with
a larger K and the piecewise-quadratic inverse CDF (rtl/pezo_gauss_icdf.v): the array
bench's env with the sign and sigma-band coverage bins added."""
