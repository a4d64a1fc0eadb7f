<#
.SYNOPSIS
    Intune Remediations, detection script: is Continue set up for Langdock?

.DESCRIPTION
    Runs `continue-setup init --check`, which writes nothing, prompts for nothing and never
    probes the network. Exit 0: compliant (the config Continue loads already matches).
    Exit 1: not compliant, so Intune runs remediate.ps1. Exit 2: the check itself failed
    (no key, a broken settings file); Intune also runs remediate.ps1, which reports why.

    Assign with "Run this script using the logged-on credentials: Yes": Continue's config lives
    in the user's profile (%USERPROFILE%\.continue). The key comes from $env:LANGDOCK_API_KEY
    or from a key file readable by the user, never from the command line.
#>
$ErrorActionPreference = 'Stop'

$Tool = 'continue-setup'    # or the full path, e.g. C:\Program Files\continue-setup\continue-setup.exe
$KeyFile = Join-Path $env:ProgramData 'Langdock\api-key.txt'
$OrgSettings = Join-Path $env:ProgramData 'Langdock\org-settings.json'

$CliArgs = @('init', '--check', '--yes', '--quiet')
if (-not $env:LANGDOCK_API_KEY) { $CliArgs += @('--api-key-file', $KeyFile) }
if (Test-Path $OrgSettings) { $CliArgs += @('--org-settings', $OrgSettings) }

& $Tool @CliArgs
$code = $LASTEXITCODE
if ($code -eq 0) { Write-Output 'Continue is set up for Langdock' }
else { Write-Output "Continue needs setting up (continue-setup exit $code)" }
exit $code
