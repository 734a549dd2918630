namespace Wschat.Hub.Identity;

/// <summary>Hands out connection uids: positive, below 2^53, unique and never reused after a restart.</summary>
public interface IUidAllocator
{
    long Allocate();
}
