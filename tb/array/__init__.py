"""pyuvm environment for rtl/pezo_rng_array.v (PeZO's rotating RNG array), DIST uniform / CLT."""
