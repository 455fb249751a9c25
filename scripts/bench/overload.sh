# Part "overload" of scripts/benchmark.sh (issue 13): open-loop bursts at 2x and 5x the maximum; see overload-lib.sh.
PART_NAME=overload
# shellcheck source=scripts/bench/overload-lib.sh
source "$ROOT/scripts/bench/overload-lib.sh"
overload_part
part_json
