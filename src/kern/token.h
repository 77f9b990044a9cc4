/*
 * token.h - LWKT tokens, DragonFly's soft serializing locks.
 *
 * A token serializes its holder only while the holder runs.  When a thread
 * blocks (tsleep, a lockmgr wait, a page busy wait, or contention on
 * another token) every token it holds is released, and all of them are
 * re-acquired before it runs again.  So:
 *
 *   1. Tokens never deadlock; there is no lock order among them.
 *   2. Anything checked under a token must be re-checked after any call
 *      that can block.
 *
 * A token may be held exclusively (one holder) or shared (many).  A thread
 * may take the same token again (recursion); releases must be in reverse
 * order of acquisition.  A thread holds at most LWKT_MAXTOKENS at once.
 * Taking a token exclusively while holding it shared is a livelock and
 * panics in debug builds.
 *
 * t_count encoding (as in DragonFly):
 *   TOK_EXCLUSIVE   held exclusively (t_ref names the holder)
 *   TOK_EXCLREQ     an exclusive request is waiting: new shared requests
 *                   wait, unless the requester already holds other tokens
 *   TOK_INCR * n    n shared holders
 */
#ifndef _KERN_TOKEN_H_
#define _KERN_TOKEN_H_

#include "kern/systm.h"

struct lwkt_tokref;

#define TOK_EXCLUSIVE	0x00000001L
#define TOK_EXCLREQ	0x00000002L
#define TOK_INCR	4L
#define TOK_COUNTMASK	(~(TOK_EXCLUSIVE | TOK_EXCLREQ))

struct lwkt_token {
	long			t_count;	/* (a) see above */
	struct lwkt_tokref	*t_ref;		/* (a) exclusive holder */
	long			t_collisions;	/* (a) statistics */
	const char		*t_desc;
};

#define LWKT_TOKEN_INITIALIZER(name)	{ .t_desc = (name) }

/* lwkt_token_init - initialize a free token.  No requirements. */
void	lwkt_token_init(struct lwkt_token *tok, const char *desc);
void	lwkt_token_uninit(struct lwkt_token *tok);

/*
 * lwkt_gettoken - take tok exclusively, blocking (and so releasing every
 * other token the thread holds until it is granted) if it is contended.
 * Granted at once if the thread already holds it exclusively.
 * lwkt_gettoken_shared - take tok shared.
 * The caller must be a flyvm thread holding no spinlock.
 */
void	lwkt_gettoken(struct lwkt_token *tok);
void	lwkt_gettoken_shared(struct lwkt_token *tok);
/*
 * lwkt_trytoken - take tok exclusively if that needs no blocking.
 * Returns TRUE if taken.  Never blocks.
 */
int	lwkt_trytoken(struct lwkt_token *tok);
/* lwkt_reltoken - release the thread's most recent acquisition of tok. */
void	lwkt_reltoken(struct lwkt_token *tok);

/*
 * lwkt_token_is_held(tok, excl) - TRUE if the calling thread holds tok
 * (exclusively, when excl is TRUE).
 */
int	lwkt_token_is_held(struct lwkt_token *tok, int excl);
/* lwkt_cnttoken - number of holders (shared count, or 1 if exclusive). */
int	lwkt_cnttoken(struct lwkt_token *tok);

#define ASSERT_LWKT_TOKEN_HELD(tok)					\
	KASSERT(lwkt_token_is_held((tok), 0), ("token %s not held",	\
	    (tok)->t_desc))
#define ASSERT_LWKT_TOKEN_HELD_EXCL(tok)				\
	KASSERT(lwkt_token_is_held((tok), 1), ("token %s not held excl", \
	    (tok)->t_desc))

/*
 * Pool tokens: LWKT_POOL_TOKENS tokens shared by hashing an address.
 * Never take a pool token shared.
 */
#define LWKT_POOL_TOKENS	16384
struct lwkt_token *lwkt_token_pool_lookup(const void *ptr);
void	lwkt_getpooltoken(const void *ptr);
void	lwkt_relpooltoken(const void *ptr);

/* Statistics: times a token request had to block. */
long	lwkt_token_collisions(void);

#endif /* !_KERN_TOKEN_H_ */
