# Part "soak" of scripts/benchmark.sh (issue 13): half the maximum rate for 10 minutes; see overload-lib.sh.
PART_NAME=soak
# shellcheck source=scripts/bench/overload-lib.sh
source "$ROOT/scripts/bench/overload-lib.sh"
soak_part
part_json
