namespace P2M.Fuzz.Implementations;

/// <summary>An implementation that cannot be loaded or built: a usage error (exit 2), never a finding.</summary>
public sealed class ImplementationException(string message, Exception? inner = null) : Exception(message, inner);
