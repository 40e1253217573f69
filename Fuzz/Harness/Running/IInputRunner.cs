using P2M.Fuzz.Codec;
using P2M.Fuzz.Scripts;

namespace P2M.Fuzz.Running;

/// <summary>
/// Runs one input and judges it: the implementation under test against the model. A
/// <see cref="DifferentialRunner"/> does it in this process; a supervised executor does it in a child
/// process, so that an input that hangs, crashes or exhausts memory comes back as a verdict too. Replay,
/// minimisation and the gate take either.
/// </summary>
public interface IInputRunner
{
    /// <summary>Runs a parsed script, expectations included; the verdict carries its path and the line at fault.</summary>
    Verdict Run(Script script);

    /// <summary>Runs bare operations (a fuzz input); the verdict reports line 0.</summary>
    Verdict Run(FuzzInput input);
}
