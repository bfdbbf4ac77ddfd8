# Shared by the benchmark scripts: alternating pairs after a warm-up, median of the per-pair ratios
# (the timing method of ../shared/notes/peers.md; these machines are noisy, so A and B run back to back).
now() { date +%s.%N; }

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# run_case NAME PAIRS A B: A (dockaudit) and B (the baseline or peer) are shell functions; prints medians and A/B.
run_case() {
  local name=$1 pairs=$2 a=$3 b=$4 ratios=() as=() bs=() t0 t1 t2
  "$a"; "$b"
  for _ in $(seq "$pairs"); do
    t0=$(now); "$a"; t1=$(now); "$b"; t2=$(now)
    as+=("$(echo "$t1 - $t0" | bc)"); bs+=("$(echo "$t2 - $t1" | bc)")
    ratios+=("$(echo "scale=4; ($t1 - $t0) / ($t2 - $t1)" | bc)")
  done
  printf "%-34s A median %6.3f s | B median %6.3f s | ratio A/B median %5.2f (pairs: %s)\n" \
    "$name" "$(median "${as[@]}")" "$(median "${bs[@]}")" "$(median "${ratios[@]}")" "${ratios[*]}"
}
