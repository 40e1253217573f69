using System.Runtime.InteropServices;

namespace P2M.Fuzz.Cli;

/// <summary>
/// SIGINT (Ctrl-C), SIGTERM (a CI timeout, <c>kill</c>) and SIGHUP (a closed terminal) all mean the same to a
/// campaign or a gate: stop, write every report and stats line there is, and exit with
/// <see cref="ExitCodes.Interrupted"/>. A second signal while stopping ends the process at once.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration[] _registrations;

    public StopSignals()
    {
        _registrations =
        [
            .. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }.Select(signal => PosixSignalRegistration.Create(signal, OnSignal)),
        ];
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _stop.Token;

    private void OnSignal(PosixSignalContext context)
    {
        if (_stop.IsCancellationRequested) return; // the default action: the process ends now
        context.Cancel = true;
        _stop.Cancel();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in _registrations) registration.Dispose();
        _stop.Dispose();
    }
}
