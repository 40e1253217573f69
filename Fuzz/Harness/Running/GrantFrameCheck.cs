using System.Globalization;
using P2M.Contract;

namespace P2M.Fuzz.Running;

/// <summary>
/// Compares the grant frames of both sides: how many exist, and the GFN each one records. At most
/// 256 frames, so it runs after every step.
/// </summary>
internal static class GrantFrameCheck
{
    /// <summary>The first difference, or null.</summary>
    public static Verdict? Compare(Sides sides, in StepContext context)
    {
        int leftFrames = sides.Left.GrantFrames;
        int rightFrames = sides.Right.GrantFrames;
        if (leftFrames != rightFrames)
        {
            return context.Divergence("grant.frames",
                leftFrames.ToString(CultureInfo.InvariantCulture), rightFrames.ToString(CultureInfo.InvariantCulture),
                $"{sides.Left.Name} has {leftFrames} grant frames, {sides.Right.Name} has {rightFrames}");
        }
        for (int frame = 0; frame < leftFrames; frame++)
        {
            Gfn left = sides.Left.GrantGfn(frame);
            Gfn right = sides.Right.GrantGfn(frame);
            if (left != right)
            {
                return context.Divergence("grant", left.ToString(), right.ToString(),
                    $"grant frame {frame} records gfn {left} on {sides.Left.Name}, {right} on {sides.Right.Name}",
                    grantFrame: frame);
            }
        }
        return null;
    }
}
