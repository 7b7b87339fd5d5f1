"""Benchmarks for Rutinportalen (`make bench`; never part of `make test`).

`python -m bench.run` runs them all, prints one table per benchmark and writes
`var/bench/results.json`. Each module has one job:

- `corpus`    a synthetic repository with N approved routines, written as the CLI writes it
- `child`     the work a measured subprocess does (a build, a floor build, writing a floor)
- `builds`    build time of our build against two floors built by ProperDocs +
              mkdocs-material alone: the routines as plain pages, and our generated pages
- `transfer`  what a phone fetches for a routine page (Brotli, gzip), first visit and later
              page, and what writing the compressed copies costs a build
- `wrk`       load from Debian's wrk with a Lua script (the asyncio client is the fallback)
- `check`     `rutinportal check` on a large repository
- `server`    a uvicorn process of the portal, and a small keep-alive HTTP load client
- `dbfill`    bulk inserts of people, memberships and acknowledgements
- (PostgreSQL: a throw-away server from `rutinportal.testing.postgres`)
- `acks`      acknowledgement throughput and latency against a trivial endpoint
- `dashboard` `/uppfoljning/` response time on a large database
- `machine`   what the numbers were measured on
- `report`    medians, percentiles, tables and the results file
"""
