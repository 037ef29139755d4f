# %% [markdown]
# # Signalling resolve: Beer-Quiche and the Intuitive Criterion
#
# Deterrence is often a signalling problem: a state that knows its own resolve
# acts in a way its rival observes, and the rival infers the type from the act.
# Cho and Kreps (1987, "Signaling Games and Stable Equilibria", *QJE* 102(2))
# made the point with a bar-room story. A Sender is *weak* with probability
# 1/10 and *strong* otherwise; she chooses breakfast -- the strong type likes
# beer, the weak type quiche (1 for the liked breakfast). A Receiver sees the
# breakfast, not the type, and decides whether to duel. The Sender gets 2 more
# when there is no duel; the Receiver gets 1 for duelling a weak Sender or
# leaving a strong one alone.
#
# A perfect Bayesian equilibrium (PBE) pairs strategies with beliefs: each
# player is sequentially rational given the beliefs, and beliefs follow
# Bayes' rule wherever it applies. Off the equilibrium path Bayes' rule is
# silent, and this is where the theory bites: both "everyone drinks beer" and
# "everyone eats quiche" are PBE, each held up by a suspicious off-path belief
# (a deviator is weak with probability at least 1/2, so she would be duelled).
# The Intuitive Criterion asks which type could *possibly* gain from the
# deviation; eating beer could never help the weak type in the quiche pooling
# equilibrium (3 > 2 at most), so the belief must put the deviator at strong
# and the quiche equilibrium unravels.
#
# Run it with `python examples/05_signalling_beer_quiche.py`; it prints and
# writes `output/beer_quiche_pbe.json`.

# %%
import json
from fractions import Fraction
from pathlib import Path

import deterrence
from deterrence import Chance, ExtensiveFormGame, Terminal, choice

OUT = Path("output")
OUT.mkdir(exist_ok=True)

# %% [markdown]
# ## 1. The tree
#
# Chance draws the type; each type's breakfast node is its own information
# set (she knows her type); the Receiver's two information sets are "after
# beer" and "after quiche" -- each holding one node per type, which is how the
# tree says she cannot see the type.


# %%
def beer_quiche(weak=Fraction(1, 10)) -> ExtensiveFormGame:
    """Cho and Kreps (1987); ``weak`` is the prior probability of the weak type."""

    def sender(kind: str, likes: str):
        def meal(food: str):
            bonus = 1 if food == likes else 0
            duel_pays = 1 if kind == "weak" else 0
            return choice(
                "Receiver",
                f"after {food}",
                {
                    "duel": Terminal((bonus, duel_pays), f"{kind} {food} duel"),
                    "not": Terminal((bonus + 2, 1 - duel_pays), f"{kind} {food} not"),
                },
                label=f"{kind} {food}",
            )

        return choice("Sender", kind, {"beer": meal("beer"), "quiche": meal("quiche")}, label=kind)

    types = Chance(("weak", "strong"), (weak, 1 - weak), (sender("weak", "quiche"), sender("strong", "beer")), "type")
    return ExtensiveFormGame(["Sender", "Receiver"], types, title="Beer-Quiche (Cho & Kreps 1987)")


game = beer_quiche()

# %% [markdown]
# ## 2. Every perfect Bayesian equilibrium
#
# `solve(game, "pbe")` enumerates supports and returns every PBE, exactly. A
# *family* of equilibria (a belief or a mixed response that can range over an
# interval) is listed by its extreme members with the range attached, and the
# members of one family share a component.

# %%
result = deterrence.solve(game, "pbe")
print(result)
for note in result.notes:
    print("  note:", note)


def pooling_food(eq) -> str:
    """The breakfast both types eat (every PBE here pools)."""
    sender = eq.strategies["Sender"]
    return "beer" if sender["weak"]["beer"] == 1 and sender["strong"]["beer"] == 1 else "quiche"


for eq in result:
    info = eq.to_dict()
    off = "after quiche" if pooling_food(eq) == "beer" else "after beer"
    print(f"\ncomponent {eq.component}: both types eat {pooling_food(eq)}; payoffs", info["payoffs"])
    print("  Sender's role:", info["roles"]["Sender"]["role"])
    print(f"  off the path ({off}): P(duel) =", str(eq.strategies["Receiver"][off]["duel"]))
    print("  beliefs:", info["beliefs"]["Receiver"])
    for note in eq.notes:
        if note.startswith("family"):
            print("  ", note)
foods = sorted({pooling_food(eq) for eq in result})
n_components = len({eq.component for eq in result})
print("\npooling equilibria on:", foods, "| components:", n_components, "| complete:", result.complete)

# %% [markdown]
# ## 3. The Intuitive Criterion
#
# `options={"refine": "intuitive"}` removes every assessment whose off-path
# beliefs put weight on a type that could not gain from the deviation
# whatever the Receiver then did. Only pooling on beer survives -- Cho and
# Kreps's result.

# %%
refined = deterrence.solve(game, "pbe", options={"refine": "intuitive"})
print(refined)
for note in refined.notes:
    print("  note:", note)
refined_foods = sorted({pooling_food(eq) for eq in refined})
print("after the Intuitive Criterion, pooling on:", refined_foods)

# %% [markdown]
# ## 4. Fixing the off-path belief yourself
#
# A `belief_rule` pins the beliefs at an information set. With the Receiver
# certain that a quiche eater is weak, she duels for sure after quiche and the
# mixed member of the beer family (belief exactly 1/2) disappears.

# %%
rule = {"Receiver": {"after quiche": {"weak quiche": 1, "strong quiche": 0}}}
pinned = deterrence.solve(game, "pbe", options={"belief_rule": rule})
beer_pinned = [eq for eq in pinned if pooling_food(eq) == "beer"]
print(pinned, "| beer equilibria:", len(beer_pinned))
print("P(duel | quiche):", str(beer_pinned[0].strategies["Receiver"]["after quiche"]["duel"]))

(OUT / "beer_quiche_pbe.json").write_text(json.dumps(result.to_dict(), indent=2), encoding="utf-8")
