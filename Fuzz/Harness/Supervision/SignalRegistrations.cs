namespace P2M.Fuzz.Supervision;

/// <summary>Keeps signal registrations alive for a scope and releases them all at its end.</summary>
internal sealed class SignalRegistrations(IDisposable[] registrations) : IDisposable
{
    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (IDisposable registration in registrations) registration.Dispose();
    }
}
