namespace P2M.Fuzz.Gate;

/// <summary>A place in the engine's sources a failure is blamed on.</summary>
/// <param name="Uri">The file, relative to the repository root with <c>/</c> separators, e.g. <c>Targets/Engine/EngineP2M.cs</c>.</param>
/// <param name="Line">1-based line of the method's declaration or of the throwing statement; 0 when unknown.</param>
/// <param name="Method">The engine method, e.g. <c>Map</c>.</param>
public sealed record SourceLocation(string Uri, int Line, string Method);
