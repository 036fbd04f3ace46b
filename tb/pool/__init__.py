"""pyuvm environment for rtl/pezo_pool.v, the PeZO pool reuse engine (shape of tb/lfsr/)."""
