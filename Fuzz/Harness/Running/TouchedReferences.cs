using System.Globalization;
using P2M.Contract;

namespace P2M.Fuzz.Running;

/// <summary>
/// The machine frames whose reference counts one step may have changed: the MFNs the operation names
/// and those of the foreign entries in the checked range before and after the step (<see cref="ForeignEntries"/>). Kept in a reused
/// buffer (no allocation per step once it has grown) and capped: the whole-state check compares every
/// held reference anyway, this only catches a wrong count at the step that caused it.
/// </summary>
internal sealed class TouchedReferences
{
    private readonly int _capacity;
    private ulong[] _mfns = new ulong[64];
    private int _count;

    public TouchedReferences(int capacity) => _capacity = Math.Max(0, capacity);

    /// <summary>Forgets the previous step's MFNs.</summary>
    public void Clear() => _count = 0;

    /// <summary>Adds one MFN (duplicates are harmless: they are compared twice).</summary>
    public void Add(Mfn mfn)
    {
        if (_count >= _capacity)
            return;
        if (_count == _mfns.Length)
            Array.Resize(ref _mfns, Math.Min(_mfns.Length * 2, Math.Max(_capacity, 1)));
        _mfns[_count++] = mfn.Value;
    }

    /// <summary>Adds the MFNs the operation itself names, inside the MFN space.</summary>
    public void AddNamedBy(in Op op, Geometry geometry)
    {
        switch (op.Kind)
        {
            case OpKind.Map:
                ulong first = op.Mfn.Value;
                if (first >= geometry.MfnLimit)
                    return;
                ulong count = Math.Min(Math.Min(op.Nr, (ulong)_capacity), geometry.MfnLimit - first);
                for (ulong i = 0; i < count; i++)
                    Add(new Mfn(first + i));
                return;
            case OpKind.Foreign:
                if (geometry.Contains(op.Mfn))
                    Add(op.Mfn);
                return;
        }
    }

    /// <summary>Compares both sides' reference count on every collected MFN; the first difference, or null.</summary>
    public Verdict? Compare(Sides sides, in StepContext context)
    {
        for (int i = 0; i < _count; i++)
        {
            var mfn = new Mfn(_mfns[i]);
            int left = sides.Left.References(mfn);
            int right = sides.Right.References(mfn);
            if (left != right)
            {
                return context.Divergence("refs", Count(left), Count(right),
                    $"references held on mfn {mfn}: {sides.Left.Name} has {left}, {sides.Right.Name} has {right}", mfn: mfn);
            }
        }
        return null;
    }

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);
}
