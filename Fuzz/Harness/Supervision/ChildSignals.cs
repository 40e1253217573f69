using System.Runtime.InteropServices;

namespace P2M.Fuzz.Supervision;

/// <summary>
/// A child ignores the terminal's and the system's stop signals: Ctrl-C in a terminal goes to the whole
/// process group, and a child dying of it would look like a crash. Its supervisor decides when it stops
/// (and kills it); a supervisor that dies closes the child's standard input, which ends the child.
/// </summary>
internal static class ChildSignals
{
    /// <summary>Ignores the stop signals until the result is disposed.</summary>
    public static IDisposable Ignore() =>
        new SignalRegistrations([.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT }
            .Select(signal => PosixSignalRegistration.Create(signal, context => context.Cancel = true))]);
}
