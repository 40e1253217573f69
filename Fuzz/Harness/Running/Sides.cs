using P2M.Contract;

namespace P2M.Fuzz.Running;

/// <summary>
/// The two implementations of one run, their optional extra interfaces, and which of them is being
/// called right now. Every check reaches a side through <see cref="Call(IP2M)"/> so that when a side
/// throws, the runner can name it in the verdict instead of guessing from a stack trace (a wrapper
/// around the model would fool any guess).
/// </summary>
internal sealed class Sides
{
    public Sides(IP2M left, string leftName, IP2M right, string rightName)
    {
        Left = left;
        Right = right;
        LeftName = leftName;
        RightName = rightName;
        LeftSelfCheck = left as IP2MSelfCheck;
        RightSelfCheck = right as IP2MSelfCheck;
        RightFailureModel = right as IAllocationFailureModel;
        Calling = leftName;
    }

    /// <summary>The implementation under test.</summary>
    public IP2M Left { get; }

    /// <summary>The model.</summary>
    public IP2M Right { get; }

    /// <summary>The left side's name, read once.</summary>
    public string LeftName { get; }

    /// <summary>The right side's name, read once.</summary>
    public string RightName { get; }

    /// <summary>The left side's self-check, when it has one.</summary>
    public IP2MSelfCheck? LeftSelfCheck { get; }

    /// <summary>The right side's self-check, when it has one.</summary>
    public IP2MSelfCheck? RightSelfCheck { get; }

    /// <summary>The model's way to replay a failed allocation, when it has one.</summary>
    public IAllocationFailureModel? RightFailureModel { get; }

    /// <summary>Name of the side most recently called: the one to blame if a call throws.</summary>
    public string Calling { get; private set; }

    /// <summary>Records that <paramref name="side"/> is about to be called, and returns it.</summary>
    public IP2M Call(IP2M side)
    {
        Calling = NameOf(side);
        return side;
    }

    /// <summary>Records that the side owning <paramref name="target"/> is about to be called, and returns the target.</summary>
    public T Call<T>(T target, IP2M owner) where T : class
    {
        Calling = NameOf(owner);
        return target;
    }

    /// <summary>The cached name of <paramref name="side"/>.</summary>
    public string NameOf(IP2M side) => ReferenceEquals(side, Left) ? LeftName : RightName;
}
