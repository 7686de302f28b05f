"""Terms: the grammar of the road map's «Сроки реализации» and the rules that read it."""
