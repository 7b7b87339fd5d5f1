"""What IT operations run and watch: backups and their restore (`backup`), readiness for a
load balancer (`readiness`, `routes`) and the access log, one JSON line per request
(`access_log`)."""
