#!/usr/bin/env bash
# `make demo`: a guided tour of the provider against a local modelarts-emulator, with the real Terraform.
#
#   1. build the provider and the emulator (debug builds: quick) and install the provider into a temporary
#      filesystem mirror with `make install`
#   2. start the emulator on a free port
#   3. init + apply a copy of examples/quickstart: one notebook is created
#   4. change the name and grow the storage: the plan says `~ update in-place`
#   5. apply it and show what went over the wire: the exact PUT body and the stop / PUT / start sequence
#   6. a second plan is empty (-detailed-exitcode = 0)
#   7. destroy, stop the emulator; a trap makes sure nothing is left running, whatever happens
#
# Everything lives in a temporary directory (TF_CLI_CONFIG_FILE included); ~/.terraform.d is never touched.
# Needs TF_ACC_TERRAFORM (the Terraform 1.0.3 binary `make tools` installs; `make demo` sets it), python3, curl.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$PWD"
cargo="${CARGO:-cargo}"
make="${MAKE:-make}"
terraform="${TF_ACC_TERRAFORM:-}"
if [ -z "$terraform" ] || [ ! -x "$terraform" ]; then
    echo "demo: TF_ACC_TERRAFORM must point at a Terraform binary; run \`make demo\` (it installs Terraform 1.0.3)" >&2
    exit 1
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/modelarts-demo.XXXXXX")"
emulator_pid=""

cleanup() {
    local code=$?
    if [ -n "$emulator_pid" ] && kill -0 "$emulator_pid" 2>/dev/null; then
        kill -TERM "$emulator_pid" 2>/dev/null || true
        wait "$emulator_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
    if [ "$code" -ne 0 ]; then
        echo >&2
        echo "demo FAILED (exit $code); the emulator was stopped and $work removed" >&2
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -t 1 ]; then bold=$'\033[1m'; dim=$'\033[2m'; plain=$'\033[0m'; else bold=""; dim=""; plain=""; fi
step=0
section() {
    step=$((step + 1))
    printf '\n%s== %d. %s ==%s\n\n' "$bold" "$step" "$*" "$plain"
}
note() { printf '%s%s%s\n' "$dim" "$*" "$plain"; }
# Shows a command as the reader would type it, then runs it.
run() {
    printf '%s$ %s%s\n' "$bold" "$*" "$plain"
    "$@"
}
fail() {
    echo "demo: $*" >&2
    exit 1
}
# Runs terraform with its output kept in $work/tf.txt (the sections print the interesting part); on failure
# the whole output is shown.
tf() {
    printf '%s$ terraform %s%s\n' "$bold" "$*" "$plain"
    if ! "$terraform" "$@" >"$work/tf.txt" 2>&1; then
        cat "$work/tf.txt"
        fail "terraform $1 failed"
    fi
}
# Prints the lines of $work/tf.txt matching an extended regular expression.
show() { grep -E "$1" "$work/tf.txt" || true; }
# Prints the warnings in $work/tf.txt (with -no-color each runs from "Warning:" to the next rule or note).
warnings() { awk '/^Warning:/ { p = 1 } /^─|^Note:/ { p = 0 } p' "$work/tf.txt"; }
# GET on the emulator's control plane (documented in docs/emulator.md).
control() { curl -fsS "$emulator_url/_emulator/$1"; }

section "Build the provider and the emulator, install the provider into a local mirror"
run "$cargo" build --quiet --bin terraform-provider-modelarts --bin modelarts-emulator
run "$make" -s --no-print-directory install PROFILE=dev MIRROR_DIR="$work/mirror" CLI_CONFIG="$work/terraform.rc"
export TF_CLI_CONFIG_FILE="$work/terraform.rc"
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
unset TF_LOG TF_LOG_PATH TF_LOG_PROVIDER TF_REATTACH_PROVIDERS TF_CLI_ARGS TF_DATA_DIR TF_WORKSPACE 2>/dev/null || true

section "Start the emulator (a local ModelArts notebook API)"
printf '%s$ modelarts-emulator --listen 127.0.0.1:0 --transition-ms 300 &%s\n' "$bold" "$plain"
"$root/target/debug/modelarts-emulator" --listen 127.0.0.1:0 --transition-ms 300 \
    >"$work/emulator.out" 2>"$work/emulator.log" &
emulator_pid=$!
emulator_url=""
for _ in $(seq 1 200); do
    emulator_url="$(head -n 1 "$work/emulator.out" 2>/dev/null || true)"
    [ -n "$emulator_url" ] && break
    kill -0 "$emulator_pid" 2>/dev/null || fail "the emulator exited: $(cat "$work/emulator.log")"
    sleep 0.05
done
[ -n "$emulator_url" ] || fail "the emulator printed no URL within 10 s"
control health >/dev/null || fail "the emulator at $emulator_url does not answer"
note "emulator listening on $emulator_url (pid $emulator_pid); demo credentials are the quickstart's defaults"
export TF_VAR_endpoint="$emulator_url"

section "terraform init on a copy of examples/quickstart"
cp -R "$root/examples/quickstart" "$work/quickstart"
cd "$work/quickstart"
note "TF_VAR_endpoint=$emulator_url points the provider's \`endpoints\` at the emulator"
tf init -input=false -no-color
show 'Installing|Installed|initialized'

section "terraform apply: create a notebook"
tf apply -auto-approve -input=false -no-color
show 'will be created|Creating\.\.\.|Creation complete|Apply complete|^[a-z_]+ = '

section "Change the name and grow the storage"
cat >terraform.tfvars <<'TFVARS'
notebook_name = "quickstart-renamed"
storage_size  = 10
TFVARS
run cat terraform.tfvars
seq_before="$(control requests | python3 -c 'import json,sys; e=json.load(sys.stdin); print(e[-1]["seq"] if e else 0)')"
tf plan -input=false -no-color -out=update.tfplan
sed -n -e '/Terraform will perform the following actions/,/^Plan:/p' "$work/tf.txt"
echo
warnings
grep -q '~ update in-place' "$work/tf.txt" || fail "the plan is not an in-place update"
if grep -q 'must be replaced' "$work/tf.txt"; then fail "the plan replaces the notebook"; fi
note "one in-place update: no replacement, the notebook keeps its id"

section "terraform apply the update"
tf apply -input=false -no-color update.tfplan
show 'Modif|Apply complete'

section "What the provider sent to the API"
control "requests?since=$seq_before" >"$work/journal.json"
python3 - "$work/journal.json" <<'PY'
import json, sys
entries = json.load(open(sys.argv[1]))
calls = [e for e in entries if e["method"] != "GET"]
print("Calls that change something, in order (%d status polls in between not shown):" % (len(entries) - len(calls)))
def kind(e):
    if e["path"].endswith("/stop"):
        return "stop"
    if e["path"].endswith("/start"):
        return "start"
    return {"PUT": "PUT", "POST": "create", "DELETE": "delete"}.get(e["method"], e["method"])
def short(path):
    parts = path.split("/")
    if len(parts) > 2 and parts[1] == "v1":
        parts[2] = "{project}"
    if len(parts) > 4 and parts[3] == "notebooks":
        parts[4] = "{id}"
    return "/".join(parts)
for e in calls:
    outcome = str(e["status"]) + ("" if e["status"] == 200 else " " + (e.get("error_code") or ""))
    print("  %-6s %-42s -> %s" % (e["method"], short(e["path"]), outcome))
ok = [e for e in calls if e["status"] == 200]
puts = [e for e in ok if e["method"] == "PUT"]
if len(puts) != 1:
    sys.exit("expected exactly one successful PUT, got %d" % len(puts))
print()
print("The PUT body, exactly as received (only the changed fields):")
print("  " + puts[0]["body_text"])
sequence = [kind(e) for e in ok]
print()
print("Successful sequence: " + " -> ".join(sequence))
if sequence != ["stop", "PUT", "start"]:
    sys.exit("expected stop -> PUT -> start (the emulator's strict policy needs a stopped notebook)")
PY
note "the emulator runs with its default --update-policy strict: like the cloud, it refuses to update a RUNNING"
note "notebook (ModelArts.6347). The provider then stops it, sends the same minimal PUT, waits for the storage"
note "resize to finish and starts it again, because desired_state is RUNNING. A notebook with desired_state ="
note "\"STOPPED\" is never started; allow_stop_for_update = false turns the stop into an error instead."

section "A second plan is empty"
printf '%s$ terraform plan -detailed-exitcode -input=false -no-color%s\n' "$bold" "$plain"
code=0
"$terraform" plan -detailed-exitcode -input=false -no-color >"$work/tf.txt" 2>&1 || code=$?
show 'No changes|Plan:'
[ "$code" -eq 0 ] || fail "the second plan is not empty (exit $code): $(cat "$work/tf.txt")"
note "terraform plan -detailed-exitcode exited 0: state, configuration and the API agree"

section "terraform destroy"
tf destroy -auto-approve -input=false -no-color
show 'will be destroyed|Destroy'
left="$(control notebooks | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
[ "$left" -eq 0 ] || fail "$left notebooks are left in the emulator"
note "the emulator holds no notebooks"

section "Stop the emulator"
kill -TERM "$emulator_pid"
wait "$emulator_pid" || fail "the emulator did not exit cleanly"
emulator_pid=""
note "emulator stopped; nothing is left running"
echo
echo "${bold}Demo complete.${plain} Next: README.md (using the provider), docs/ (reference), examples/ (more configurations)."
