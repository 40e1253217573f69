using System.Runtime.InteropServices;
using P2M.Contract;
using P2M.Fuzz.Codec;
using P2M.Fuzz.Running;
using P2M.Fuzz.Scripts;

namespace P2M.Fuzz.Implementations;

/// <summary>
/// Runs one input through every implementation under test, each against its own instance of the model
/// through a <see cref="DifferentialRunner"/> of its own, so each is compared with the model after every
/// step; the verdict is the earliest failure of any of them, named by its label (<see cref="Verdict.Implementation"/>).
/// With one implementation it is that implementation's runner and nothing more: its verdicts and signatures
/// are a <see cref="DifferentialRunner"/>'s.
/// </summary>
/// <remarks>
/// Earliest means the lowest <see cref="Verdict.Step"/>; at the same step, the implementation given first.
/// Once one has failed at step k, the ones after it only run the operations before step k (a script: its
/// lines before the k-th operation): only a failure before k could be reported instead, and one that would
/// crash or hang later never gets the chance to hide the failure already found. The model is deterministic,
/// so N pairs check exactly what one run of N implementations beside one model would, and each pair keeps
/// its own locating of deferred full checks. Coverage is whatever the implementations write while they run:
/// the union of theirs. Not thread-safe (nor are its runners): use one per thread.
/// </remarks>
public sealed class ImplementationsRunner : IInputRunner
{
    private readonly DifferentialRunner[] _runners;
    private readonly IReadOnlyList<string> _labels;
    private IStepObserver? _observer;

    /// <summary>Every member of <paramref name="implementations"/> against <paramref name="model"/> (the oracle when null).</summary>
    /// <param name="implementations">What is under test; its members are resolved (loaded) here.</param>
    /// <param name="model">Builds the model; the oracle by default.</param>
    /// <param name="wrap">Applied to each member's factory, e.g. to point its probes at a coverage map; none when null.</param>
    /// <exception cref="ImplementationException">A member cannot be loaded.</exception>
    public ImplementationsRunner(ImplementationSpec implementations, Func<P2MConfig, IP2M>? model = null,
        Func<Func<P2MConfig, IP2M>, Func<P2MConfig, IP2M>>? wrap = null)
    {
        ArgumentNullException.ThrowIfNull(implementations);
        Func<P2MConfig, IP2M> oracle = model ?? (config => new Oracle.OracleP2M(config));
        _runners = new DifferentialRunner[implementations.Members.Count];
        for (int i = 0; i < _runners.Length; i++)
        {
            Func<P2MConfig, IP2M> create = implementations.Members[i].Resolve();
            _runners[i] = new DifferentialRunner(wrap is null ? create : wrap(create), oracle);
        }
        _labels = implementations.Labels;
        Implementations = implementations;
    }

    /// <summary>What is under test.</summary>
    public ImplementationSpec Implementations { get; }

    /// <summary>
    /// Told before each step which operation runs, of every implementation's run in turn; when it is also an
    /// <see cref="IImplementationObserver"/>, told which implementation runs before each of them. Null for nobody.
    /// </summary>
    public IStepObserver? Observer
    {
        get => _observer;
        set
        {
            _observer = value;
            foreach (DifferentialRunner runner in _runners) runner.Observer = value;
        }
    }

    /// <inheritdoc/>
    public Verdict Run(Script script)
    {
        ArgumentNullException.ThrowIfNull(script);
        Verdict? failed = null;
        Verdict passed = Verdict.Pass(0);
        for (int i = 0; i < _runners.Length && failed is not { Step: 0 }; i++)
        {
            Announce(i);
            Verdict verdict = _runners[i].Run(failed is null ? script : Before(script, failed.Step));
            if (verdict.IsPass) passed = verdict;
            else failed = Named(verdict, i);
        }
        return failed ?? passed;
    }

    /// <inheritdoc/>
    public Verdict Run(FuzzInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Run(input.Config, input.Ops.AsSpan());
    }

    /// <summary>Runs bare operations built with <paramref name="config"/>; see <see cref="DifferentialRunner.Run(P2MConfig, ReadOnlySpan{Op}, string?)"/>.</summary>
    public Verdict Run(P2MConfig config, ReadOnlySpan<Op> ops, string? path = null)
    {
        if (_runners.Length == 1) return _runners[0].Run(config, ops, path);
        Verdict? failed = null;
        Verdict passed = Verdict.Pass(0);
        for (int i = 0; i < _runners.Length && failed is not { Step: 0 }; i++)
        {
            Announce(i);
            Verdict verdict = _runners[i].Run(config, failed is null ? ops : ops[..(failed.Step - 1)], path);
            if (verdict.IsPass) passed = verdict;
            else failed = Named(verdict, i);
        }
        return failed ?? passed;
    }

    /// <summary>Runs bare operations from a list; see <see cref="Run(P2MConfig, ReadOnlySpan{Op}, string?)"/>.</summary>
    public Verdict Run(P2MConfig config, IReadOnlyList<Op> ops, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(ops);
        return ops switch
        {
            Op[] array => Run(config, array.AsSpan(), path),
            List<Op> list => Run(config, CollectionsMarshal.AsSpan(list), path),
            _ => Run(config, ops.ToArray().AsSpan(), path),
        };
    }

    private void Announce(int member)
    {
        if (_runners.Length > 1 && _observer is IImplementationObserver observer) observer.Running(member);
    }

    // Built only for a failure, and only when several run.
    private Verdict Named(Verdict verdict, int member) =>
        _runners.Length == 1 ? verdict : verdict with { Implementation = _labels[member] };

    /// <summary>The script's lines before its <paramref name="step"/>-th operation (expectations after the one before it included).</summary>
    private static Script Before(Script script, int step)
    {
        int ops = 0, end = 0;
        while (end < script.Lines.Count && !(script.Lines[end] is OpLine && ++ops == step)) end++;
        return script with { Lines = [.. script.Lines.Take(end)] };
    }
}
