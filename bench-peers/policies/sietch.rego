# Sietch channel access (shared/spec/sietch-theme.md sections 1 and 2) as Rego.
# input.channel carries the level of its required tier (hajra 0 ... naib 8) and maybe a badge;
# input.member a rank, the balance as whole BGT plus the wei remainder (exact integers), badges.
package sietch

import rego.v1

default allow := false

allow if {
	level >= input.channel.level
	badge_ok
}

badge_ok if not input.channel.badge

badge_ok if input.channel.badge in input.member.badges

# Rank wins whatever the balance; otherwise the highest BGT threshold met; otherwise hajra.
level := 8 if {
	ranked(1, 7)
} else := 7 if {
	ranked(8, 69)
} else := 6 if {
	bgt_at_least(1111, 0)
} else := 5 if {
	bgt_at_least(888, 0)
} else := 4 if {
	bgt_at_least(690, 0)
} else := 3 if {
	bgt_at_least(420, 0)
} else := 2 if {
	bgt_at_least(222, 0)
} else := 1 if {
	bgt_at_least(69, 0)
} else := 0

ranked(lo, hi) if {
	input.member.rank >= lo
	input.member.rank <= hi
}

bgt_at_least(whole, _) if input.member.bgt_whole > whole

bgt_at_least(whole, wei) if {
	input.member.bgt_whole == whole
	input.member.bgt_wei >= wei
}
