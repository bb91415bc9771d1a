namespace Swin2SR.Core.Jobs;

/// <summary>
/// A stretch of a job's item listing, which is in id order (the order the items were added): skip
/// <see cref="Skip"/> items, then list at most <see cref="Take"/>, or all the rest when null. The default is the
/// whole listing. The store applies it in its query, so a page of a large job reads only that page's rows.
/// </summary>
public readonly record struct ItemPage
{
    public ItemPage(long skip, long? take)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        if (take is { } limit)
            ArgumentOutOfRangeException.ThrowIfNegative(limit, nameof(take));
        Skip = skip;
        Take = take;
    }

    public long Skip { get; }

    public long? Take { get; }
}
