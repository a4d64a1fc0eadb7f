<#
.SYNOPSIS
    Intune Remediations, remediation script: set Continue up for Langdock.

.DESCRIPTION
    Runs `continue-setup init --yes --quiet --json`: no prompts, and one JSON document on
    stdout that Intune keeps as the remediation output ("changed", "path", "entries", no key).
    Running it again changes nothing. Exit codes: 0 done; 1 the existing config could not be
    parsed (left untouched); 2 bad input (no key, bad settings); 3 the Langdock endpoints
    failed the smoke test, so nothing was written.

    Same context and key source as detect.ps1: $env:LANGDOCK_API_KEY, else the key file.
#>
$ErrorActionPreference = 'Stop'

$Tool = 'continue-setup'
$KeyFile = Join-Path $env:ProgramData 'Langdock\api-key.txt'
$OrgSettings = Join-Path $env:ProgramData 'Langdock\org-settings.json'

$CliArgs = @('init', '--yes', '--quiet', '--json')
if (-not $env:LANGDOCK_API_KEY) { $CliArgs += @('--api-key-file', $KeyFile) }
if (Test-Path $OrgSettings) { $CliArgs += @('--org-settings', $OrgSettings) }

$report = & $Tool @CliArgs
$code = $LASTEXITCODE
# Intune shows only the last output line: put the one-line JSON there.
Write-Output (($report | Out-String | ConvertFrom-Json) | ConvertTo-Json -Compress -Depth 8)
exit $code
