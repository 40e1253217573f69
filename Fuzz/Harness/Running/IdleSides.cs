using P2M.Contract;

namespace P2M.Fuzz.Running;

/// <summary>
/// The sides of the last runs that passed, by configuration, for the runner to reset rather than build
/// again. A campaign's inputs mostly use the default pool and otherwise a handful of small ones, so a few
/// slots catch nearly every run; the least recently used one gives way.
/// </summary>
internal sealed class IdleSides
{
    /// <summary>Configurations kept: the default pool and a few squeezed ones, whose engines are small.</summary>
    private const int Slots = 4;

    private readonly P2MConfig?[] _configs = new P2MConfig?[Slots];
    private readonly Sides?[] _sides = new Sides?[Slots];
    private readonly long[] _used = new long[Slots];
    private long _clock;

    /// <summary>The idle sides built with <paramref name="config"/>, taken out (a run owns them), or null.</summary>
    public Sides? Take(P2MConfig config)
    {
        for (int i = 0; i < Slots; i++)
        {
            if (_sides[i] is { } sides && config.Equals(_configs[i]))
            {
                _sides[i] = null;
                _configs[i] = null;
                return sides;
            }
        }
        return null;
    }

    /// <summary>Keeps <paramref name="sides"/>, built with <paramref name="config"/>, in the least recently used slot.</summary>
    public void Put(P2MConfig config, Sides sides)
    {
        int slot = 0;
        for (int i = 0; i < Slots; i++)
        {
            if (_sides[i] is null) { slot = i; break; }
            if (_used[i] < _used[slot]) slot = i;
        }
        _configs[slot] = config;
        _sides[slot] = sides;
        _used[slot] = ++_clock;
    }
}
