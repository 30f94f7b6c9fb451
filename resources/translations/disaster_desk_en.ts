<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="ja">
<context>
    <name>AlertsPanel</name>
    <message>
        <location filename="../../disaster_desk/ui/alerts_panel.py" line="38" />
        <source>発表</source>
        <translation>Issued</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/alerts_panel.py" line="38" />
        <source>種別</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/alerts_panel.py" line="38" />
        <source>標題</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/alerts_panel.py" line="38" />
        <source>内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/alerts_panel.py" line="50" />
        <source>震度</source>
        <translation>Intensity</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/alerts_panel.py" line="51" />
        <source>震源</source>
        <translation>Hypocentre</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/alerts_panel.py" line="52" />
        <source>津波</source>
        <translation>Tsunami</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/alerts_panel.py" line="53" />
        <source>警報・注意報</source>
        <translation>Warnings</translation>
    </message>
</context>
<context>
    <name>CollectorPanel</name>
    <message>
        <location filename="../../disaster_desk/ui/collector_panel.py" line="28" />
        <source>収集元</source>
        <translation>Collector</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/collector_panel.py" line="28" />
        <source>状態</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/collector_panel.py" line="28" />
        <source>前回</source>
        <translation>Last run</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/collector_panel.py" line="28" />
        <source>件数</source>
        <translation>Items</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/collector_panel.py" line="28" />
        <source>次回</source>
        <translation>Next run</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/collector_panel.py" line="28" />
        <source>エラー</source>
        <translation>Error</translation>
    </message>
</context>
<context>
    <name>DamageList</name>
    <message>
        <location filename="../../disaster_desk/ui/reports/damage_list.py" line="56" />
        <source>状況を更新</source>
        <translation>Update status</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/damage_list.py" line="95" />
        <source>報告が選択されていません</source>
        <translation>No report selected</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/damage_list.py" line="103" />
        <source>他の端末で更新されていました。最新の内容を表示しました。</source>
        <translation>Another station changed it; showing the latest version.</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/damage_list.py" line="110" />
        <source>更新しました（版 {v}）</source>
        <translation>Updated (version {v})</translation>
    </message>
</context>
<context>
    <name>DetailPanel</name>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="57" />
        <source>出典</source>
        <extracomment>(action id, button text, shortcut letter) for the triage buttons.</extracomment>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="58" />
        <source>時刻</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="59" />
        <source>区分</source>
        <translation>Labels</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="60" />
        <source>場所</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="61" />
        <source>状態</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="66" />
        <source>確認 (A)</source>
        <translation>Acknowledge (A)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="67" />
        <source>検証 (V)</source>
        <translation>Verify (V)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="68" />
        <source>共有 (S)…</source>
        <translation>Share (S)…</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="69" />
        <source>却下 (D)</source>
        <translation>Dismiss (D)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="70" />
        <source>完了 (C)</source>
        <translation>Close (C)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="85" />
        <source>類似の投稿</source>
        <translation>Similar posts</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="101" />
        <source>項目を選択してください</source>
        <translation>Select an item</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="110" />
        <source>受信 %1</source>
        <translation>received %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="112" />
        <source>投稿 %1</source>
        <translation>posted %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="114" />
        <source>不明</source>
        <translation>unknown</translation>
    </message>
</context>
<context>
    <name>DrillBand</name>
    <message>
        <location filename="../../disaster_desk/ui/drill_band.py" line="17" />
        <source>訓練中 — EXERCISE</source>
        <translation>EXERCISE — 訓練中</translation>
    </message>
</context>
<context>
    <name>DrillPanel</name>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="95" />
        <source>ファイル…</source>
        <extracomment>Label → engine speed (None = as fast as possible).</extracomment>
        <translation>File…</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="97" />
        <source>シナリオ</source>
        <translation>Scenario</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="107" />
        <source>開始</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="109" />
        <location filename="../../disaster_desk/ui/drill_panel.py" line="340" />
        <source>一時停止</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="111" />
        <source>終了</source>
        <translation>End</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="113" />
        <source> 分</source>
        <translation> min</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="114" />
        <source>ジャンプ</source>
        <translation>Jump</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="116" />
        <source>速度</source>
        <translation>Speed</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="121" />
        <source>経過 00:00:00</source>
        <translation>Elapsed 00:00:00</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="123" />
        <source>待機中</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="130" />
        <source>KPI（実行中）</source>
        <translation>KPIs (live)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="132" />
        <source>収集</source>
        <translation>Collected</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="132" />
        <source>関連</source>
        <translation>Relevant</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="132" />
        <source>共有</source>
        <translation>Shared</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="133" />
        <source>共有時間 中央値</source>
        <translation>Time to share, median</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="133" />
        <source>区報告</source>
        <translation>Ward reports</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="133" />
        <source>報告区</source>
        <translation>Wards reporting</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="134" />
        <source>参集率</source>
        <translation>Muster rate</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="134" />
        <source>チェック</source>
        <translation>Check</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="144" />
        <location filename="../../disaster_desk/ui/drill_panel.py" line="253" />
        <source>チェックリスト</source>
        <translation>Checklist</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="148" />
        <source>事後検証報告を開く</source>
        <translation>Open after-action report</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="166" />
        <source>シナリオを開く</source>
        <translation>Open scenario</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="195" />
        <source>完了にする</source>
        <translation>Mark done</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="211" />
        <source>解析器を準備中…</source>
        <translation>Preparing the analyser…</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="220" />
        <source>実行中 </source>
        <translation>Running </translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="281" />
        <source>終了 </source>
        <translation>Ended </translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="301" />
        <source>（一時停止）</source>
        <translation>(paused)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="302" />
        <source>経過 </source>
        <translation>Elapsed </translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="327" />
        <source>完了 </source>
        <translation>Done </translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="340" />
        <source>再開</source>
        <translation>Resume</translation>
    </message>
</context>
<context>
    <name>HelpOverlay</name>
    <message>
        <location filename="../../disaster_desk/ui/help_overlay.py" line="25" />
        <source>キーボード操作</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/help_overlay.py" line="32" />
        <source>Esc または任意のキーで閉じる</source>
        <translation>Esc or any key closes</translation>
    </message>
</context>
<context>
    <name>InboxPanel</name>
    <message>
        <location filename="../../disaster_desk/ui/inbox_panel.py" line="38" />
        <source>未読</source>
        <translation>Unread</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/inbox_panel.py" line="38" />
        <source>共有</source>
        <translation>Shared</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/inbox_panel.py" line="38" />
        <source>項目</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/inbox_panel.py" line="38" />
        <source>内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/inbox_panel.py" line="61" />
        <source>区が設定されていません (設定: station_ward)</source>
        <translation>No ward configured (setting: station_ward)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/inbox_panel.py" line="67" />
        <source>%1 への共有 (未読 %2件)</source>
        <translation>Shared with %1 (%2 unread)</translation>
    </message>
</context>
<context>
    <name>LoadingPanel</name>
    <message>
        <location filename="../../disaster_desk/ui/placeholders.py" line="36" />
        <source>%1 を準備中…</source>
        <translation>Preparing %1…</translation>
    </message>
</context>
<context>
    <name>LogPanel</name>
    <message>
        <location filename="../../disaster_desk/ui/log_panel.py" line="49" />
        <source>消去</source>
        <translation>Clear</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="92" />
        <source>操作できません: %1</source>
        <extracomment>True until the end of __init__, so paint events during construction are ignored. The map and drill panel exist (shortly after the window is shown). The drill run shown (demo or drill panel); its scope and clock drive the window. Selecting an item pans the map to it (off for overview screenshots).</extracomment>
        <translation>Not allowed: %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="142" />
        <location filename="../../disaster_desk/ui/main_window.py" line="156" />
        <source>地図</source>
        <translation>Map</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="145" />
        <location filename="../../disaster_desk/ui/main_window.py" line="160" />
        <source>訓練</source>
        <translation>Drill</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="155" />
        <source>キュー</source>
        <translation>Queue</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="157" />
        <source>詳細</source>
        <translation>Detail</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="158" />
        <source>区報告</source>
        <translation>Ward reports</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="159" />
        <source>気象庁</source>
        <translation>JMA</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="161" />
        <source>収集状況</source>
        <translation>Collectors</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="162" />
        <source>ログ</source>
        <translation>Log</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="163" />
        <source>区報告フォーム</source>
        <translation>Ward report form</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="164" />
        <source>共有受信箱</source>
        <translation>Shared inbox</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="194" />
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="247" />
        <source>訓練中</source>
        <translation>DRILL</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="247" />
        <source>本番</source>
        <translation>LIVE</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="248" />
        <location filename="../../disaster_desk/ui/window_actions.py" line="85" />
        <source>本部</source>
        <translation>HQ</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="248" />
        <location filename="../../disaster_desk/ui/window_actions.py" line="85" />
        <source>区</source>
        <translation>Ward</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="248" />
        <location filename="../../disaster_desk/ui/window_actions.py" line="85" />
        <source>訓練統制</source>
        <translation>Drill control</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="249" />
        <source>災害情報デスク — %1 — %2</source>
        <translation>Disaster Desk — %1 — %2</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="289" />
        <source>項目が選択されていません</source>
        <translation>No item selected</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="303" />
        <source>確認しました</source>
        <translation>Acknowledged</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="304" />
        <source>検証済にしました</source>
        <translation>Verified</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="305" />
        <source>共有しました</source>
        <translation>Shared</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="306" />
        <source>却下しました</source>
        <translation>Dismissed</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="307" />
        <source>完了にしました</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="349" />
        <source>経過 %1</source>
        <translation>Elapsed %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="366" />
        <source>デモが終了しました</source>
        <translation>The demo has finished</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="377" />
        <source>デモを開始できません: %1</source>
        <translation>Cannot start the demo: %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="371" />
        <source>解析モデルを読み込み中…</source>
        <translation>Loading the analysis model…</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="0" />
        <source>デモの準備: 解析器を読み込んでいます（辞書・学習モデル・地名辞書）</source>
        <translation>Preparing the demo: loading the analyser (dictionary, learned model, gazetteer)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="0" />
        <source>解析器 %p%</source>
        <translation>Analyser %p%</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="0" />
        <source>解析器</source>
        <translation>Analyser</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="0" />
        <source>デモの準備: %1</source>
        <translation>Preparing the demo: %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="385" />
        <source>デモを取り消しました</source>
        <translation>Demo cancelled</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="392" />
        <source>デモ再生中: %1</source>
        <translation>Demo playing: %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="397" />
        <source>訓練開始: %1</source>
        <translation>Drill started: %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="43" />
        <source>ファイル(&amp;F)</source>
        <extracomment>(action id, shortcut) of the triage actions.</extracomment>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="44" />
        <source>終了</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="46" />
        <source>操作(&amp;O)</source>
        <translation>&amp;Operate</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="48" />
        <source>確認</source>
        <translation>Acknowledge</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="49" />
        <source>検証</source>
        <translation>Verify</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="50" />
        <source>共有…</source>
        <translation>Share…</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="51" />
        <location filename="../../disaster_desk/ui/window_actions.py" line="125" />
        <source>却下</source>
        <translation>Dismiss</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="52" />
        <location filename="../../disaster_desk/ui/window_actions.py" line="126" />
        <source>完了</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="60" />
        <location filename="../../disaster_desk/ui/window_actions.py" line="127" />
        <source>次の項目</source>
        <translation>Next item</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="61" />
        <location filename="../../disaster_desk/ui/window_actions.py" line="128" />
        <source>前の項目</source>
        <translation>Previous item</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="62" />
        <location filename="../../disaster_desk/ui/window_actions.py" line="129" />
        <source>検索</source>
        <translation>Search</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="63" />
        <source>キューへ移動</source>
        <translation>Go to queue</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="65" />
        <source>表示(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="70" />
        <source>文字を大きく</source>
        <translation>Larger text</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="71" />
        <source>文字を小さく</source>
        <translation>Smaller text</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="72" />
        <source>標準の文字サイズ</source>
        <translation>Normal text size</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="73" />
        <source>言語 / Language</source>
        <translation>言語 / Language</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="82" />
        <source>役割(&amp;R)</source>
        <translation>&amp;Role</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="92" />
        <source>訓練(&amp;D)</source>
        <translation>&amp;Drill</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="93" />
        <source>デモを再生</source>
        <translation>Play demo</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="95" />
        <source>ヘルプ(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="96" />
        <source>キーボード操作</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="107" />
        <source>キー操作はキューで: Esc でキューへ戻る</source>
        <translation>Triage keys work in the queue: Esc goes back to it</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="122" />
        <source>確認 (新規 → 確認済)</source>
        <translation>Acknowledge (new → acknowledged)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="123" />
        <source>検証 (確認済 → 検証済)</source>
        <translation>Verify (acknowledged → verified)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="124" />
        <source>共有… (共有先を選んで Enter)</source>
        <translation>Share… (choose targets, Enter)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="130" />
        <source>キューへ戻る</source>
        <translation>Back to the queue</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="131" />
        <source>役割: 本部 / 区 / 訓練統制</source>
        <translation>Role: HQ / ward / drill control</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="132" />
        <source>文字の大きさ</source>
        <translation>Text size</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="133" />
        <source>このヘルプ</source>
        <translation>This help</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="149" />
        <source>言語は次回の起動時に切り替わります / Language changes on the next start</source>
        <translation>言語は次回の起動時に切り替わります / Language changes on the next start</translation>
    </message>
</context>
<context>
    <name>MapView</name>
    <message>
        <location filename="../../disaster_desk/ui/map/view.py" line="0" />
        <source>全期間</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/map/view.py" line="0" />
        <source>直近%1時間</source>
        <translation>Last %1 h</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/map/view.py" line="0" />
        <source>投稿の表示期間</source>
        <translation>Posts shown</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/map/view.py" line="0" />
        <source>投稿マーカー %1件</source>
        <translation>%1 post markers</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/map/view.py" line="0" />
        <source>（上限%1件）</source>
        <translation> (limit %1)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/map/view.py" line="0" />
        <source> ・ ほか%1件は区・町の件数</source>
        <translation> · %1 more counted per ward and town</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/map/view.py" line="0" />
        <source>ローカルタイルを表示できません（エリア地図を表示）: %1</source>
        <translation>Cannot show the local tiles (showing the area map): %1</translation>
    </message>
</context>
<context>
    <name>MissingPanel</name>
    <message>
        <location filename="../../disaster_desk/ui/placeholders.py" line="21" />
        <source>%1 は利用できません (%2)</source>
        <translation>%1 is not available (%2)</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <location filename="../../disaster_desk/ui/queue_model.py" line="56" />
        <source>区分</source>
        <extracomment>Text search without a time window scans every post to count it: stop counting here ("1,000+") and keep fetching pages until one comes back short. Emitted with the QueueRows that were not in the model before a refresh.</extracomment>
        <translation>Labels</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/queue_model.py" line="56" />
        <source>本文</source>
        <translation>Text</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/queue_model.py" line="56" />
        <source>場所</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/queue_model.py" line="56" />
        <source>受信</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/queue_model.py" line="56" />
        <source>状態</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/queue_model.py" line="56" />
        <source>出典</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/queue_model.py" line="234" />
        <source>%1 たった今</source>
        <translation>%1 just now</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/queue_model.py" line="236" />
        <source>%1 (%2分前)</source>
        <translation>%1 (%2 min ago)</translation>
    </message>
</context>
<context>
    <name>QueuePanel</name>
    <message>
        <location filename="../../disaster_desk/ui/queue_panel.py" line="81" />
        <source>検索 (/)</source>
        <extracomment>Time windows offered by the filter, in hours (0 = all). The selected item's QueueRow (None when the selection is cleared).</extracomment>
        <translation>Search (/)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/queue_panel.py" line="83" />
        <source>全区分</source>
        <translation>All labels</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/queue_panel.py" line="84" />
        <source>全区</source>
        <translation>All wards</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/queue_panel.py" line="85" />
        <source>全出典</source>
        <translation>All sources</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/queue_panel.py" line="86" />
        <source>全状態</source>
        <translation>All states</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/queue_panel.py" line="89" />
        <source>全期間</source>
        <translation>All time</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/queue_panel.py" line="89" />
        <source>直近%1時間</source>
        <translation>Last %1 h</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/queue_panel.py" line="174" />
        <source>%1件 ・新着あり ↑</source>
        <translation>%1 items · new items ↑</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/queue_panel.py" line="188" />
        <source>%1件</source>
        <translation>%1 items</translation>
    </message>
</context>
<context>
    <name>ReportsPanel</name>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="75" />
        <location filename="../../disaster_desk/ui/reports/panel.py" line="80" />
        <location filename="../../disaster_desk/ui/reports/panel.py" line="83" />
        <source>区</source>
        <translation>Ward</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="75" />
        <source>開設</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="75" />
        <source>満員</source>
        <translation>Full</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="75" />
        <source>閉鎖</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="75" />
        <source>未開設</source>
        <translation>Not open</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="76" />
        <source>避難者</source>
        <translation>Evacuees</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="76" />
        <source>世帯</source>
        <translation>Households</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="76" />
        <source>収容可能</source>
        <translation>Capacity</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="76" />
        <source>充足率</source>
        <translation>Occupancy</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="78" />
        <source>種別</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="78" />
        <source>軽微</source>
        <translation>Minor</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="78" />
        <source>重大</source>
        <translation>Major</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="78" />
        <source>甚大</source>
        <translation>Critical</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="80" />
        <source>所属</source>
        <translation>Office</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="80" />
        <location filename="../../disaster_desk/ui/reports/panel.py" line="86" />
        <source>参集</source>
        <translation>Muster</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="80" />
        <source>予定</source>
        <translation>Expected</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="80" />
        <source>参集率</source>
        <translation>Muster rate</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="83" />
        <location filename="../../disaster_desk/ui/reports/panel.py" line="87" />
        <source>システム</source>
        <translation>Systems</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="83" />
        <source>更新</source>
        <translation>Updated</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="83" />
        <source>備考</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="83" />
        <source>状況</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="84" />
        <source>避難所</source>
        <translation>Shelters</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="85" />
        <source>被害</source>
        <translation>Damage</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="89" />
        <source>CSV取込…</source>
        <translation>Import CSV…</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="89" />
        <source>CSV出力…</source>
        <translation>Export CSV…</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="90" />
        <source>テンプレート…</source>
        <translation>Template…</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="91" />
        <source>避難所台帳取込…</source>
        <translation>Import shelter registry…</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="119" />
        <source>市全体</source>
        <translation>City-wide</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="137" />
        <source>市全体 参集 {a}/{e}（{r:.0%}、目標 {t:.0%}）</source>
        <translation>City-wide muster {a}/{e} ({r:.0%}, target {t:.0%})</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="140" />
        <source>参集報告なし</source>
        <translation>No muster reports</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="147" />
        <source>全庁</source>
        <translation>All offices</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="150" />
        <source>開設 {o}・満員 {f}・避難者 {e}人 ／ 停止中システム {d}</source>
        <translation>Open {o} · full {f} · evacuees {e} / systems down {d}</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="168" />
        <source>CSV取込</source>
        <translation>Import CSV</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="172" />
        <source>取込 {n}件、重複 {d}件、エラー {e}件</source>
        <translation>Imported {n}, duplicates {d}, errors {e}</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="178" />
        <source>CSV出力</source>
        <translation>Export CSV</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="184" />
        <source>テンプレート</source>
        <translation>Template</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="191" />
        <source>避難所台帳: 新規 {i}件、更新 {u}件、エラー {e}件</source>
        <translation>Shelter registry: {i} new, {u} updated, {e} errors</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="196" />
        <source>避難所台帳取込</source>
        <translation>Import shelter registry</translation>
    </message>
</context>
<context>
    <name>RescueBanner</name>
    <message>
        <location filename="../../disaster_desk/ui/attention.py" line="27" />
        <source>表示</source>
        <translation>Show</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/attention.py" line="29" />
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/attention.py" line="55" />
        <source>救助要請 %1件 新着 — %2 %3</source>
        <translation>Rescue requests: %1 new — %2 %3</translation>
    </message>
</context>
<context>
    <name>ShareDialog</name>
    <message>
        <location filename="../../disaster_desk/ui/share_dialog.py" line="28" />
        <source>共有先を選択</source>
        <translation>Choose share targets</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/share_dialog.py" line="30" />
        <source>共有先を絞り込み (例: 北区, 消防局)</source>
        <translation>Filter targets (e.g. 北区, 消防局)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/share_dialog.py" line="37" />
        <source>メモ (任意)</source>
        <translation>Note (optional)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/share_dialog.py" line="39" />
        <source>共有 (Enter)</source>
        <translation>Share (Enter)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/share_dialog.py" line="43" />
        <source>入力で絞り込み・↑↓で移動・Spaceで選択・Enterで共有</source>
        <translation>Type to filter · ↑↓ move · Space tick · Enter share</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <location filename="../../disaster_desk/ui/startup.py" line="0" />
        <source>データベースを開いています（必要ならスキーマを更新します）</source>
        <translation>Opening the database (updating its schema if needed)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/startup.py" line="0" />
        <source>収集を開始しています</source>
        <translation>Starting the collectors</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/startup.py" line="0" />
        <source>画面を作成しています</source>
        <translation>Building the window</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/startup.py" line="0" />
        <source>解析器を準備しています</source>
        <translation>Preparing the analyser</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/startup.py" line="0" />
        <source>準備ができました</source>
        <translation>Ready</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/startup.py" line="0" />
        <source>形態素解析の辞書（Sudachi／GiNZA）を読み込んでいます</source>
        <translation>Loading the morphological dictionary (Sudachi/GiNZA)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/startup.py" line="0" />
        <source>学習モデルを読み込んでいます</source>
        <translation>Loading the learned model</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/startup.py" line="0" />
        <source>地名辞書（区・町丁目・駅・避難所）を読み込んでいます</source>
        <translation>Loading the gazetteer (wards, towns, stations, shelters)</translation>
    </message>
</context>
<context>
    <name>StartupWindow</name>
    <message>
        <location filename="../../disaster_desk/ui/startup.py" line="0" />
        <source>災害情報デスク — 起動中</source>
        <translation>Disaster Desk — starting</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/startup.py" line="0" />
        <source>災害情報デスクを起動しています</source>
        <translation>Disaster Desk is starting</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/startup.py" line="0" />
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/startup.py" line="0" />
        <source>解析器を読み込めませんでした: %1</source>
        <translation>The analyser could not be loaded: %1</translation>
    </message>
</context>
<context>
    <name>WardReportForm</name>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="162" />
        <source>訓練中 — 報告は訓練（%1）として送信されます</source>
        <translation>Drill — reports are sent as drill (%1)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="450" />
        <source>・保留 %1件（別の送信先宛て）</source>
        <translation>, %1 held (for another database)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="74" />
        <source>送信 (Ctrl+Enter)</source>
        <translation>Send (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="81" />
        <source>区</source>
        <translation>Ward</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="82" />
        <source>報告種別</source>
        <translation>Report kind</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="222" />
        <source>入力エラー: {msg}</source>
        <translation>Input error: {msg}</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="244" />
        <source>送信しました（{n}件）</source>
        <translation>Sent ({n})</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="246" />
        <source>本部に接続できません。{n}件を保存し、接続の回復後に自動送信します。</source>
        <translation>Cannot reach HQ. {n} saved; they are sent automatically when the link is back.</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="252" />
        <source>送信エラー: {msg}</source>
        <translation>Send error: {msg}</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="257" />
        <source>未送信 {n}件</source>
        <translation>{n} not sent</translation>
    </message>
</context>
<context>
    <name>names</name>
    <message>
        <location filename="../../disaster_desk/ui/names.py" line="16" />
        <source>救助要請</source>
        <translation>Rescue</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/names.py" line="17" />
        <source>負傷・医療</source>
        <translation>Casualty / medical</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/names.py" line="18" />
        <source>火災</source>
        <translation>Fire</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/names.py" line="19" />
        <source>建物・構造物被害</source>
        <translation>Building damage</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/names.py" line="20" />
        <source>浸水・冠水</source>
        <translation>Flooding</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/names.py" line="21" />
        <source>ライフライン</source>
        <translation>Lifelines</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/names.py" line="22" />
        <source>交通</source>
        <translation>Transport</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/names.py" line="23" />
        <source>避難・避難所</source>
        <translation>Evacuation / shelter</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/names.py" line="24" />
        <source>物資・支援</source>
        <translation>Supplies</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/names.py" line="25" />
        <source>安否・行方不明</source>
        <translation>Safety / missing</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/names.py" line="26" />
        <source>該当なし</source>
        <translation>None</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/names.py" line="37" />
        <source>新規</source>
        <translation>New</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/names.py" line="38" />
        <source>確認済</source>
        <translation>Acknowledged</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/names.py" line="39" />
        <source>検証済</source>
        <translation>Verified</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/names.py" line="40" />
        <source>却下</source>
        <translation>Dismissed</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/names.py" line="41" />
        <source>共有済</source>
        <translation>Shared</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/names.py" line="42" />
        <source>完了</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/names.py" line="52" />
        <source>気象庁</source>
        <translation>JMA</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/names.py" line="53" />
        <source>再生</source>
        <translation>Replay</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/names.py" line="54" />
        <source>その他</source>
        <translation>Other</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/names.py" line="55" />
        <location filename="../../disaster_desk/ui/names.py" line="63" />
        <source>区報告</source>
        <translation>Ward report</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/names.py" line="62" />
        <source>投稿</source>
        <translation>Post</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/names.py" line="64" />
        <source>事案</source>
        <translation>Incident</translation>
    </message>
</context>
</TS>