package dev.kiln.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The capability check is a pure function: these properties pin it down with plain inputs. */
class ChannelPolicyProperties {

    @Property
    void denyAlwaysWins(@ForAll("channels") String channel, @ForAll("patternLists") List<String> allowed,
                        @ForAll("patternLists") List<String> windowAllowed) {
        ChannelPolicy policy = new ChannelPolicy(allowed, List.of(channel));
        assertThat(policy.permits(channel)).isFalse();
        assertThat(policy.permits(channel, windowAllowed)).isFalse();
        assertThat(new ChannelPolicy(List.of("*"), List.of("*")).permits(channel)).isFalse();
    }

    @Property
    void aWindowsAllowListReplacesTheDefault(@ForAll("channels") String channel,
                                             @ForAll("patternLists") List<String> windowAllowed) {
        ChannelPolicy everything = ChannelPolicy.allowAll();
        boolean expected = windowAllowed.stream().anyMatch(p -> ChannelPolicy.matches(p, channel));
        assertThat(everything.permits(channel, windowAllowed)).isEqualTo(expected);
    }

    @Property
    void prefixPatternsMatchExactlyTheChannelsWithThatPrefix(@ForAll("words") String prefix, @ForAll("channels") String channel) {
        ChannelPolicy policy = new ChannelPolicy(List.of(prefix + ":*"), List.of());
        assertThat(policy.permits(channel)).isEqualTo(channel.startsWith(prefix + ":"));
        assertThat(policy.permits(prefix + ":" + channel)).isTrue();
        assertThat(policy.permits(prefix)).isFalse();
    }

    @Property
    void exactNamesMatchOnlyThemselves(@ForAll("channels") String a, @ForAll("channels") String b) {
        assertThat(new ChannelPolicy(List.of(a), List.of()).permits(b)).isEqualTo(a.equals(b));
    }

    @Example
    void emptyAllowListAllowsNothing() {
        assertThat(new ChannelPolicy(List.of(), List.of()).permits("anything")).isFalse();
    }

    @Example
    void malformedPatternsAreRefusedWithAClearMessage() {
        for (String bad : List.of("", "a*", "*b", "a:*:*", "a*:b")) {
            assertThatThrownBy(() -> new ChannelPolicy(List.of(bad), List.of()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new ChannelPolicy(List.of("ok"), List.of("x*")))
                .hasMessage("Bad channel pattern 'x*': use '*', 'prefix:*' or an exact name");
    }

    @Provide
    Arbitrary<String> words() {
        return Arbitraries.strings().withChars("abc-_.").ofMinLength(1).ofMaxLength(4);
    }

    @Provide
    Arbitrary<String> channels() {
        return Combinators.combine(words(), words(), Arbitraries.of("", ":"))
                .as((a, b, sep) -> sep.isEmpty() ? a : a + sep + b);
    }

    @Provide
    Arbitrary<List<String>> patternLists() {
        Arbitrary<String> pattern = Arbitraries.oneOf(channels(), words().map(w -> w + ":*"), Arbitraries.just("*"));
        return pattern.list().ofMaxSize(4);
    }
}
