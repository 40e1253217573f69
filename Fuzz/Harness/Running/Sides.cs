using P2M.Contract;

namespace P2M.Fuzz.Running;

/// <summary>The two implementations of one run: the one under test on the left, the model on the right.</summary>
internal sealed class Sides
{
    public Sides(IP2M left, string leftName, IP2M right, string rightName)
    {
        Left = new Side(left, leftName);
        Right = new Side(right, rightName);
    }

    /// <summary>The implementation under test.</summary>
    public Side Left { get; }

    /// <summary>The model.</summary>
    public Side Right { get; }
}
