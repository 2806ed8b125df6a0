/**
 * Each rule of print-rule.fixtures.ts as `iptables -L -n -v` lists it: two lines per fixture,
 * `TABLE RULE-AS-WRITTEN`, then the listed line with a `$` marking where it ends (the tool pads
 * the destination column, so most lines end in spaces). Recorded from iptables v1.8.9
 * (nf_tables) on Debian 12, kernel 6.18: every rule restored into its own user chain of a
 * throwaway network namespace (sets S hash:ip and KUBE-CLUSTER-IP hash:ip,port created with
 * ipset 7.17), then `ip netns exec NS iptables -t TABLE -L -n -v`. Counters are zero.
 */
export const LISTED: { table: string; written: string; listed: string }[] = [];

const RECORDED = String.raw`
filter -s 10.0.0.1 -j ACCEPT
    0     0 ACCEPT     0    --  *      *       10.0.0.1             0.0.0.0/0           $
filter ! -s 10.0.0.0/8 -d 192.168.1.1 -j DROP
    0     0 DROP       0    --  *      *      !10.0.0.0/8           192.168.1.1         $
filter -d 10.1.2.3/8 -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            10.0.0.0/8          $
filter -s 0.0.0.0/0 -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0           $
filter -s 10.0.0.0/255.255.0.0 -j ACCEPT
    0     0 ACCEPT     0    --  *      *       10.0.0.0/16          0.0.0.0/0           $
filter -i eth+ ! -o cni0 -j ACCEPT
    0     0 ACCEPT     0    --  eth+   !cni0   0.0.0.0/0            0.0.0.0/0           $
filter ! -i lo -p tcp --dport 22 -j ACCEPT
    0     0 ACCEPT     6    --  !lo    *       0.0.0.0/0            0.0.0.0/0            tcp dpt:22$
filter -p tcp -s 1.2.3.4 -i eth0 -d 5.6.7.8/24 -j ACCEPT
    0     0 ACCEPT     6    --  eth0   *       1.2.3.4              5.6.7.0/24          $
filter -m comment --comment c1 -p tcp --dport 5 -s 1.1.1.1 -j ACCEPT
    0     0 ACCEPT     6    --  *      *       1.1.1.1              0.0.0.0/0            /* c1 */ tcp dpt:5$
filter -p tcp -m tcp --sport 1000:2000 --dport 22 -j ACCEPT
    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            0.0.0.0/0            tcp spts:1000:2000 dpt:22$
filter -p tcp ! --dport 22 -j ACCEPT
    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            0.0.0.0/0            tcp dpt:!22$
filter -p udp --sport :100 -j ACCEPT
    0     0 ACCEPT     17   --  *      *       0.0.0.0/0            0.0.0.0/0            udp spts:0:100$
filter -p udp --dport 1000: -j ACCEPT
    0     0 ACCEPT     17   --  *      *       0.0.0.0/0            0.0.0.0/0            udp dpts:1000:65535$
filter -p tcp --dport 80:80 -j ACCEPT
    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            0.0.0.0/0            tcp dpt:80$
filter -p tcp --dport http -j ACCEPT
    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            0.0.0.0/0            tcp dpt:80$
filter -p udp -m udp ! --sport 53 ! --dport 54 -j ACCEPT
    0     0 ACCEPT     17   --  *      *       0.0.0.0/0            0.0.0.0/0            udp spt:!53 dpt:!54$
filter -p tcp -m tcp -j ACCEPT
    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            0.0.0.0/0            tcp$
filter -m tcp -p tcp -j ACCEPT
    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            0.0.0.0/0            tcp$
filter -p tcp --syn -j ACCEPT
    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            0.0.0.0/0            tcp flags:0x17/0x02$
filter -p tcp --tcp-flags SYN,RST,ACK,FIN SYN -j ACCEPT
    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            0.0.0.0/0            tcp flags:0x17/0x02$
filter -p tcp --tcp-flags ALL NONE -j DROP
    0     0 DROP       6    --  *      *       0.0.0.0/0            0.0.0.0/0            tcp flags:0x3F/0x00$
filter -p tcp ! --syn -j ACCEPT
    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            0.0.0.0/0            tcp flags:!0x17/0x02$
filter -p icmp --icmp-type 8 -j ACCEPT
    0     0 ACCEPT     1    --  *      *       0.0.0.0/0            0.0.0.0/0            icmptype 8$
filter -p icmp -m icmp --icmp-type echo-request -j ACCEPT
    0     0 ACCEPT     1    --  *      *       0.0.0.0/0            0.0.0.0/0            icmptype 8$
filter -p icmp --icmp-type 3/3 -j ACCEPT
    0     0 ACCEPT     1    --  *      *       0.0.0.0/0            0.0.0.0/0            icmptype 3 code 3$
filter -p icmp -j ACCEPT
    0     0 ACCEPT     1    --  *      *       0.0.0.0/0            0.0.0.0/0           $
filter -p 47 -j ACCEPT
    0     0 ACCEPT     47   --  *      *       0.0.0.0/0            0.0.0.0/0           $
filter -p 4 -j ACCEPT
    0     0 ACCEPT     4    --  *      *       0.0.0.0/0            0.0.0.0/0           $
filter -p all -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0           $
filter -p TCP -j ACCEPT
    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            0.0.0.0/0           $
filter -p 6 -j ACCEPT
    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            0.0.0.0/0           $
filter ! -p udp -j ACCEPT
    0     0 ACCEPT    !17   --  *      *       0.0.0.0/0            0.0.0.0/0           $
filter -p udp -m udp --dport 53 -m comment --comment "kube-system/kube-dns:dns cluster IP" -j ACCEPT
    0     0 ACCEPT     17   --  *      *       0.0.0.0/0            0.0.0.0/0            udp dpt:53 /* kube-system/kube-dns:dns cluster IP */$
filter -m comment --comment simple -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            /* simple */$
filter -m comment --comment "a \"quoted\" one" -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            /* a "quoted" one */$
filter -m comment --comment default/kubernetes:https -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            /* default/kubernetes:https */$
filter -m comment --comment "it's" -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            /* it's */$
filter -m comment --comment "back\\slash" -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            /* back\slash */$
filter -m comment --comment "" -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            /*  */$
filter -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            ctstate RELATED,ESTABLISHED$
filter -m conntrack --ctstate INVALID -j DROP
    0     0 DROP       0    --  *      *       0.0.0.0/0            0.0.0.0/0            ctstate INVALID$
filter -m conntrack ! --ctstate NEW -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            ! ctstate NEW$
filter -m conntrack --ctstate NEW,RELATED,ESTABLISHED,INVALID,SNAT,DNAT,UNTRACKED -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            ctstate INVALID,NEW,RELATED,ESTABLISHED,UNTRACKED,SNAT,DNAT$
filter -m conntrack --ctstate DNAT --ctorigdstport 80 -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            ctstate DNAT ctorigdstport 80$
filter -m conntrack --ctorigdstport 80 --ctstate NEW -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            ctstate NEW ctorigdstport 80$
filter -m conntrack ! --ctorigdst 10.96.0.0/12 -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            ! ctorigdst 10.96.0.0/12$
filter -m conntrack --ctorigdst 10.96.0.1 -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            ctorigdst 10.96.0.1$
filter -m conntrack --ctorigsrc 10.0.0.0/8 --ctreplsrc 10.1.0.0/16 --ctrepldst 1.2.3.4 -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            ctorigsrc 10.0.0.0/8 ctreplsrc 10.1.0.0/16 ctrepldst 1.2.3.4$
filter -m conntrack --ctstatus ASSURED -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            ctstatus ASSURED$
filter -m conntrack --ctstatus SEEN_REPLY,ASSURED ! --ctreplsrcport 5:10 -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            ! ctreplsrcport 5:10 ctstatus SEEN_REPLY,ASSURED$
filter -m state --state NEW,ESTABLISHED -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            state NEW,ESTABLISHED$
filter -m state ! --state INVALID -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            ! state INVALID$
filter -m addrtype --dst-type LOCAL -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            ADDRTYPE match dst-type LOCAL$
filter -m addrtype ! --src-type LOCAL --dst-type LOCAL -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            ADDRTYPE match src-type !LOCAL dst-type LOCAL$
filter -m addrtype --dst-type LOCAL --limit-iface-in -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            ADDRTYPE match dst-type LOCAL limit-in$
filter -m addrtype --src-type LOCAL,UNICAST -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            ADDRTYPE match src-type UNICAST,LOCAL$
filter -m addrtype --dst-type BROADCAST,MULTICAST -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            ADDRTYPE match dst-type BROADCAST,MULTICAST$
filter -p tcp -m multiport --dports 80,443,8000:8080 -j ACCEPT
    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            0.0.0.0/0            multiport dports 80,443,8000:8080$
filter -p udp -m multiport --sports 53 -j ACCEPT
    0     0 ACCEPT     17   --  *      *       0.0.0.0/0            0.0.0.0/0            multiport sports 53$
filter -p tcp -m multiport ! --dports 80,443 -j ACCEPT
    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            0.0.0.0/0            multiport dports  !80,443$
filter -p tcp -m multiport --ports 80,443 -j ACCEPT
    0     0 ACCEPT     6    --  *      *       0.0.0.0/0            0.0.0.0/0            multiport ports 80,443$
filter -m physdev --physdev-in veth1 --physdev-out veth2 --physdev-is-bridged -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            PHYSDEV match --physdev-in veth1 --physdev-out veth2 --physdev-is-bridged$
filter -m physdev --physdev-is-bridged -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            PHYSDEV match --physdev-is-bridged$
filter -m physdev --physdev-in veth+ -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            PHYSDEV match --physdev-in veth+$
filter -m physdev ! --physdev-is-bridged -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            PHYSDEV match ! --physdev-is-bridged$
filter -m physdev --physdev-is-in --physdev-is-out -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            PHYSDEV match --physdev-is-in --physdev-is-out$
filter -m physdev --physdev-out eth0 --physdev-is-in -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            PHYSDEV match --physdev-is-in --physdev-out eth0$
filter -m physdev ! --physdev-in veth1 -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            PHYSDEV match ! --physdev-in veth1$
filter -m recent --set
    0     0            0    --  *      *       0.0.0.0/0            0.0.0.0/0            recent: SET name: DEFAULT side: source mask: 255.255.255.255$
filter -m recent --set --name SSH --mask 255.255.255.255 --rsource
    0     0            0    --  *      *       0.0.0.0/0            0.0.0.0/0            recent: SET name: SSH side: source mask: 255.255.255.255$
filter -m recent --rcheck --seconds 60 --hitcount 4 --name SSH --rsource -j DROP
    0     0 DROP       0    --  *      *       0.0.0.0/0            0.0.0.0/0            recent: CHECK seconds: 60 hit_count: 4 name: SSH side: source mask: 255.255.255.255$
filter -m recent --update --seconds 60 --reap --name SSH -j DROP
    0     0 DROP       0    --  *      *       0.0.0.0/0            0.0.0.0/0            recent: UPDATE seconds: 60 reap name: SSH side: source mask: 255.255.255.255$
filter -m recent --rcheck --name X --rdest -j DROP
    0     0 DROP       0    --  *      *       0.0.0.0/0            0.0.0.0/0            recent: CHECK name: X side: dest mask: 255.255.255.255$
filter -m recent --rcheck --seconds 10 --rttl --name foo --mask 255.255.0.0 --rdest
    0     0            0    --  *      *       0.0.0.0/0            0.0.0.0/0            recent: CHECK seconds: 10 TTL-Match name: foo side: dest mask: 255.255.0.0$
filter -m recent --remove --name foo
    0     0            0    --  *      *       0.0.0.0/0            0.0.0.0/0            recent: REMOVE name: foo side: source mask: 255.255.255.255$
filter -m recent ! --rcheck --name foo -j DROP
    0     0 DROP       0    --  *      *       0.0.0.0/0            0.0.0.0/0            ! recent: CHECK name: foo side: source mask: 255.255.255.255$
filter -m recent --update --hitcount 3 --reap --seconds 5 --rttl -j DROP
    0     0 DROP       0    --  *      *       0.0.0.0/0            0.0.0.0/0            recent: UPDATE seconds: 5 reap hit_count: 3 TTL-Match name: DEFAULT side: source mask: 255.255.255.255$
filter -m mark --mark 0x4000/0x4000 -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            mark match 0x4000/0x4000$
filter -m mark ! --mark 0x1 -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            mark match ! 0x1$
filter -m mark --mark 0x4000/0xffffffff -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            mark match 0x4000$
filter -m mark --mark 4000 -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            mark match 0xfa0$
filter -m mark --mark 0x0/0x8000 -j DROP
    0     0 DROP       0    --  *      *       0.0.0.0/0            0.0.0.0/0            mark match 0x0/0x8000$
filter -m statistic --mode random --probability 0.33333333349 -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            statistic mode random probability 0.33333333349$
filter -m statistic --mode random --probability 0.5 -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            statistic mode random probability 0.50000000000$
filter -m statistic --mode random --probability 0.1 -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            statistic mode random probability 0.10000000009$
filter -m statistic --mode random --probability 1 -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            statistic mode random probability 1.00000000000$
filter -m statistic --mode random --probability 0 -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            statistic mode random probability 0.00000000000$
filter -m statistic --mode random --probability 0.00001 -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            statistic mode random probability 0.00001000008$
filter -m statistic --mode random ! --probability 0.25 -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            statistic mode random ! probability 0.25000000000$
filter -m statistic --mode random --probability 0.20000000019 -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            statistic mode random probability 0.20000000019$
filter -m statistic --mode nth --every 3 --packet 0 -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            statistic mode nth every 3$
filter -m set --match-set S src,dst -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            match-set S src,dst$
filter -m set --match-set S dst -m set ! --match-set S src -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            match-set S dst ! match-set S src$
filter -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            match-set KUBE-CLUSTER-IP dst,dst$
filter -p tcp -j REJECT
    0     0 REJECT     6    --  *      *       0.0.0.0/0            0.0.0.0/0            reject-with icmp-port-unreachable$
filter -p tcp -j REJECT --reject-with tcp-reset
    0     0 REJECT     6    --  *      *       0.0.0.0/0            0.0.0.0/0            reject-with tcp-reset$
filter -j REJECT --reject-with icmp-host-unreachable
    0     0 REJECT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            reject-with icmp-host-unreachable$
filter -j REJECT --reject-with icmp-admin-prohibited
    0     0 REJECT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            reject-with icmp-admin-prohibited$
filter -j REJECT --reject-with icmp-net-unreachable
    0     0 REJECT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            reject-with icmp-net-unreachable$
filter -j REJECT --reject-with icmp-proto-unreachable
    0     0 REJECT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            reject-with icmp-proto-unreachable$
filter -j REJECT --reject-with icmp-net-prohibited
    0     0 REJECT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            reject-with icmp-net-prohibited$
filter -j REJECT --reject-with icmp-host-prohibited
    0     0 REJECT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            reject-with icmp-host-prohibited$
filter -j REJECT --reject-with port-unreach
    0     0 REJECT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            reject-with icmp-port-unreachable$
filter -j LOG --log-prefix "IN: "
    0     0 LOG        0    --  *      *       0.0.0.0/0            0.0.0.0/0            LOG flags 0 level 4 prefix "IN: "$
filter -j LOG
    0     0 LOG        0    --  *      *       0.0.0.0/0            0.0.0.0/0            LOG flags 0 level 4$
filter -j LOG --log-prefix x --log-level 4
    0     0 LOG        0    --  *      *       0.0.0.0/0            0.0.0.0/0            LOG flags 0 level 4 prefix "x"$
filter -j LOG --log-level debug
    0     0 LOG        0    --  *      *       0.0.0.0/0            0.0.0.0/0            LOG flags 0 level 7$
filter -j LOG --log-level 3 --log-prefix "a b"
    0     0 LOG        0    --  *      *       0.0.0.0/0            0.0.0.0/0            LOG flags 0 level 3 prefix "a b"$
filter -j MARK --set-mark 0x10
    0     0 MARK       0    --  *      *       0.0.0.0/0            0.0.0.0/0            MARK set 0x10$
filter -j MARK --set-xmark 0x4000/0x4000
    0     0 MARK       0    --  *      *       0.0.0.0/0            0.0.0.0/0            MARK or 0x4000$
filter -j MARK --or-mark 0x4000
    0     0 MARK       0    --  *      *       0.0.0.0/0            0.0.0.0/0            MARK or 0x4000$
filter -j MARK --and-mark 0xff
    0     0 MARK       0    --  *      *       0.0.0.0/0            0.0.0.0/0            MARK and 0xff$
filter -j MARK --xor-mark 0x1
    0     0 MARK       0    --  *      *       0.0.0.0/0            0.0.0.0/0            MARK xor 0x1$
filter -j MARK --set-mark 0x1/0x2
    0     0 MARK       0    --  *      *       0.0.0.0/0            0.0.0.0/0            MARK xset 0x1/0x3$
filter -j MARK --set-xmark 0x8000
    0     0 MARK       0    --  *      *       0.0.0.0/0            0.0.0.0/0            MARK set 0x8000$
filter -j RETURN
    0     0 RETURN     0    --  *      *       0.0.0.0/0            0.0.0.0/0           $
filter -j ACCEPT
    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0           $
filter -j DROP
    0     0 DROP       0    --  *      *       0.0.0.0/0            0.0.0.0/0           $
filter -g ZZZ
    0     0 ZZZ        0    --  *      *       0.0.0.0/0            0.0.0.0/0           [goto] $
filter -j ZZZ
    0     0 ZZZ        0    --  *      *       0.0.0.0/0            0.0.0.0/0           $
filter -m comment --comment x
    0     0            0    --  *      *       0.0.0.0/0            0.0.0.0/0            /* x */$
filter -s 10.0.0.1 -d 10.0.0.2 -i eth0 -o eth1 -p udp -m udp --dport 53 -m comment --comment "dns" -m mark --mark 0x1 -j ACCEPT
    0     0 ACCEPT     17   --  eth0   eth1    10.0.0.1             10.0.0.2             udp dpt:53 /* dns */ mark match 0x1$
nat -d 10.96.0.10/32 -p tcp -m comment --comment "ns/svc:port cluster IP" -m tcp --dport 80 -j KUBE-SVC-X
    0     0 KUBE-SVC-X  6    --  *      *       0.0.0.0/0            10.96.0.10           /* ns/svc:port cluster IP */ tcp dpt:80$
nat -p tcp -m tcp -j DNAT --to-destination 10.244.0.2:80
    0     0 DNAT       6    --  *      *       0.0.0.0/0            0.0.0.0/0            tcp to:10.244.0.2:80$
nat -p tcp -j DNAT --to-destination 10.244.0.2
    0     0 DNAT       6    --  *      *       0.0.0.0/0            0.0.0.0/0            to:10.244.0.2$
nat -p tcp -j DNAT --to-destination 10.244.0.2:80 --random --persistent
    0     0 DNAT       6    --  *      *       0.0.0.0/0            0.0.0.0/0            to:10.244.0.2:80 random persistent$
nat -p tcp -j DNAT --to-destination 10.244.0.2-10.244.0.5:80-90
    0     0 DNAT       6    --  *      *       0.0.0.0/0            0.0.0.0/0            to:10.244.0.2-10.244.0.5:80-90$
nat -p tcp -j DNAT --to-destination :8080
    0     0 DNAT       6    --  *      *       0.0.0.0/0            0.0.0.0/0            to::8080$
nat -p udp -j DNAT --to-destination 10.244.0.2:53 --persistent --random
    0     0 DNAT       17   --  *      *       0.0.0.0/0            0.0.0.0/0            to:10.244.0.2:53 random persistent$
nat -j MASQUERADE
    0     0 MASQUERADE  0    --  *      *       0.0.0.0/0            0.0.0.0/0           $
nat -j MASQUERADE --random-fully
    0     0 MASQUERADE  0    --  *      *       0.0.0.0/0            0.0.0.0/0            random-fully$
nat -j MASQUERADE --random
    0     0 MASQUERADE  0    --  *      *       0.0.0.0/0            0.0.0.0/0            random$
nat -p tcp -j MASQUERADE --to-ports 1024-65535
    0     0 MASQUERADE  6    --  *      *       0.0.0.0/0            0.0.0.0/0            masq ports: 1024-65535$
nat -p tcp -j MASQUERADE --to-ports 2000 --random-fully --random
    0     0 MASQUERADE  6    --  *      *       0.0.0.0/0            0.0.0.0/0            masq ports: 2000 random random-fully$
nat -s 10.0.0.0/8 -j SNAT --to-source 1.2.3.4
    0     0 SNAT       0    --  *      *       10.0.0.0/8           0.0.0.0/0            to:1.2.3.4$
nat -p tcp -j SNAT --to-source 1.2.3.4:1000-2000 --random-fully
    0     0 SNAT       6    --  *      *       0.0.0.0/0            0.0.0.0/0            to:1.2.3.4:1000-2000 random-fully$
nat -j SNAT --to-source 1.2.3.4-1.2.3.8 --persistent
    0     0 SNAT       0    --  *      *       0.0.0.0/0            0.0.0.0/0            to:1.2.3.4-1.2.3.8 persistent$
nat -p tcp -j REDIRECT --to-ports 8080
    0     0 REDIRECT   6    --  *      *       0.0.0.0/0            0.0.0.0/0            redir ports 8080$
nat -p tcp -j REDIRECT --to-ports 8080-8090 --random
    0     0 REDIRECT   6    --  *      *       0.0.0.0/0            0.0.0.0/0            redir ports 8080-8090 random$
nat -p tcp -j REDIRECT
    0     0 REDIRECT   6    --  *      *       0.0.0.0/0            0.0.0.0/0           $
nat -j KUBE-MARK-MASQ
    0     0 KUBE-MARK-MASQ  0    --  *      *       0.0.0.0/0            0.0.0.0/0           $
nat -m mark ! --mark 0x4000/0x4000 -j RETURN
    0     0 RETURN     0    --  *      *       0.0.0.0/0            0.0.0.0/0            mark match ! 0x4000/0x4000$
raw -p tcp -m tcp --dport 80 -j TRACE
    0     0 TRACE      6    --  *      *       0.0.0.0/0            0.0.0.0/0            tcp dpt:80$
raw -p udp --dport 53 -j NOTRACK
    0     0 CT         17   --  *      *       0.0.0.0/0            0.0.0.0/0            udp dpt:53 NOTRACK$
raw -j CT --notrack
    0     0 CT         0    --  *      *       0.0.0.0/0            0.0.0.0/0            CT notrack$
raw -j TRACE
    0     0 TRACE      0    --  *      *       0.0.0.0/0            0.0.0.0/0           $
`;

const lines = RECORDED.split('\n').filter((l) => l !== '');
for (let i = 0; i + 1 < lines.length; i += 2) {
  const at = lines[i]!.indexOf(' ');
  LISTED.push({
    table: lines[i]!.slice(0, at),
    written: lines[i]!.slice(at + 1),
    listed: lines[i + 1]!.replace(/\$$/, ''),
  });
}
