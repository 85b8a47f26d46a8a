"""Demo and synthetic data: the seed clinics, their people, schedules, reviews
and paid deposits, and the synthetic catalogue the benchmarks use.

Nothing in the domain imports from here; ``flask seed`` and the benchmarks do."""
