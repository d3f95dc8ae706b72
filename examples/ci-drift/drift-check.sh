#!/usr/bin/env bash
# Drift detection for CI: runs `terraform plan -detailed-exitcode` on a configuration and turns the result into
# a short report.
#
#   drift-check.sh [DIR]        (DIR defaults to the current directory; run `terraform init` there first)
#
# Exit status, as the plan's -detailed-exitcode:
#   0  no drift: the real infrastructure matches the configuration
#   1  error: the plan itself failed (credentials, API errors, invalid configuration)
#   2  drift: the plan would change something; the report lists what
#
# Environment: TERRAFORM (default `terraform`), DRIFT_REPORT (also write the report to this file).
set -uo pipefail

dir="${1:-.}"
terraform="${TERRAFORM:-terraform}"
plan_log="$(mktemp)"
trap 'rm -f "$plan_log"' EXIT

# -lock=false: a read-only check must not block, nor be blocked by, a concurrent apply.
"$terraform" -chdir="$dir" plan -detailed-exitcode -no-color -input=false -lock=false >"$plan_log" 2>&1
code=$?

report() {
    if [ -n "${DRIFT_REPORT:-}" ]; then
        tee "$DRIFT_REPORT"
    else
        cat
    fi
}

case "$code" in
0)
    echo "no drift: $dir matches its configuration" | report
    exit 0
    ;;
2)
    {
        echo "DRIFT DETECTED in $dir"
        echo
        # Changes made outside Terraform (refresh), then what the next apply would do about them.
        if grep -q '^Note: Objects have changed outside of Terraform' "$plan_log"; then
            echo "Changed outside of Terraform:"
            grep -E '^  # .* has (been changed|been deleted)' "$plan_log" | sed -e 's/^  # /  - /'
            echo
        fi
        echo "Planned to converge:"
        grep -E '^  # .* (will be|must be)' "$plan_log" | sed -e 's/^  # /  - /' || echo "  (no resource changes)"
        grep -E '^Plan: ' "$plan_log" | sed -e 's/^/  /'
        if grep -q '^Changes to Outputs:' "$plan_log"; then
            echo
            echo "Output changes:"
            sed -n -e '/^Changes to Outputs:/,/^$/{/^Changes to Outputs:/d;/^$/d;p}' "$plan_log"
        fi
        echo
        echo "Full plan:"
        sed -e 's/^/    /' "$plan_log"
    } | report
    exit 2
    ;;
*)
    {
        echo "ERROR: terraform plan failed in $dir (exit $code); drift unknown"
        echo
        sed -e 's/^/    /' "$plan_log"
    } | report
    exit 1
    ;;
esac
