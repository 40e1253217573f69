namespace P2M.Contract;

/// <summary>What an operation returns, as Xen's error codes.</summary>
public enum ResultCode : byte
{
    /// <summary>Success.</summary>
    Ok,
    /// <summary>An argument outside its space or not allowed for the operation; nothing changed.</summary>
    Einval,
    /// <summary>A pool allocation failed; <see cref="OpResult.Done"/> frames were completed before it.</summary>
    Enomem,
    /// <summary>The grant frame already has a GFN recorded; nothing changed.</summary>
    Ebusy,
}

/// <summary>Script-format names of <see cref="ResultCode"/>.</summary>
public static class ResultCodes
{
    /// <summary><c>ok</c>, <c>EINVAL</c>, <c>ENOMEM</c> or <c>EBUSY</c>.</summary>
    public static string Name(ResultCode code) => code switch
    {
        ResultCode.Ok => "ok",
        ResultCode.Einval => "EINVAL",
        ResultCode.Enomem => "ENOMEM",
        ResultCode.Ebusy => "EBUSY",
        _ => $"code{(int)code}",
    };

    /// <summary>Parses a script-format name.</summary>
    public static bool TryParse(string name, out ResultCode code)
    {
        switch (name)
        {
            case "ok": code = ResultCode.Ok; return true;
            case "EINVAL": code = ResultCode.Einval; return true;
            case "ENOMEM": code = ResultCode.Enomem; return true;
            case "EBUSY": code = ResultCode.Ebusy; return true;
            default: code = default; return false;
        }
    }
}
