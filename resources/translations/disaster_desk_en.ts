<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="ja">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../disaster_desk/ui/about_dialog.py" line="19"/>
        <source>このアプリについて</source>
        <translation>About this application</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/about_dialog.py" line="48"/>
        <source>データ</source>
        <translation>Data</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/about_dialog.py" line="48"/>
        <source>出典</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/about_dialog.py" line="48"/>
        <source>ライセンス</source>
        <translation>Licence</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/about_dialog.py" line="48"/>
        <source>版</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/about_dialog.py" line="48"/>
        <source>表示</source>
        <translation>Attribution</translation>
    </message>
</context>
<context>
    <name>AlertsPanel</name>
    <message>
        <location filename="../../disaster_desk/ui/alerts_panel.py" line="47"/>
        <source>発表</source>
        <translation>Issued</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/alerts_panel.py" line="47"/>
        <source>種別</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/alerts_panel.py" line="47"/>
        <source>標題</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/alerts_panel.py" line="47"/>
        <source>内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/alerts_panel.py" line="59"/>
        <source>震度</source>
        <translation>Intensity</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/alerts_panel.py" line="60"/>
        <source>震源</source>
        <translation>Hypocentre</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/alerts_panel.py" line="61"/>
        <source>津波</source>
        <translation>Tsunami</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/alerts_panel.py" line="62"/>
        <source>警報・注意報</source>
        <translation>Warnings</translation>
    </message>
</context>
<context>
    <name>CollectorPanel</name>
    <message>
        <location filename="../../disaster_desk/ui/collector_panel.py" line="35"/>
        <source>収集元</source>
        <extracomment>The table shows a new read (the status bar&apos;s summary follows it). The window&apos;s runner: the provider may read the database (what the collecting process stored).</extracomment>
        <translation>Collector</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/collector_panel.py" line="35"/>
        <source>状態</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/collector_panel.py" line="35"/>
        <source>前回</source>
        <translation>Last run</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/collector_panel.py" line="35"/>
        <source>件数</source>
        <translation>Items</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/collector_panel.py" line="35"/>
        <source>次回</source>
        <translation>Next run</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/collector_panel.py" line="35"/>
        <source>エラー</source>
        <translation>Error</translation>
    </message>
</context>
<context>
    <name>DamageList</name>
    <message>
        <location filename="../../disaster_desk/ui/reports/damage_list.py" line="143"/>
        <source>更新できませんでした: %1</source>
        <translation>Could not update: %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/damage_list.py" line="54"/>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/damage_list.py" line="54"/>
        <source>区</source>
        <translation>Ward</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/damage_list.py" line="54"/>
        <source>種別</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/damage_list.py" line="54"/>
        <source>程度</source>
        <translation>Severity</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/damage_list.py" line="54"/>
        <source>場所</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/damage_list.py" line="54"/>
        <source>対応状況</source>
        <translation>Response</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/damage_list.py" line="55"/>
        <source>版</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/damage_list.py" line="63"/>
        <source>状況を更新</source>
        <translation>Update status</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/damage_list.py" line="115"/>
        <source>報告が選択されていません</source>
        <translation>No report selected</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/damage_list.py" line="135"/>
        <source>他の端末で更新されていました。最新の内容を表示しました。</source>
        <translation>Another station changed it; showing the latest version.</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/damage_list.py" line="141"/>
        <source>更新できませんでした（詳細はログ）</source>
        <translation>Could not update (details in the log)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/damage_list.py" line="128"/>
        <source>更新しました（版 {v}）</source>
        <translation>Updated (version {v})</translation>
    </message>
</context>
<context>
    <name>DetailPanel</name>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="62"/>
        <source>出典</source>
        <extracomment>The triage buttons, in order; ``place`` opens the place correction.</extracomment>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="63"/>
        <source>時刻</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="64"/>
        <source>区分</source>
        <translation>Labels</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="65"/>
        <source>場所</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="66"/>
        <source>状態</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="69"/>
        <source>共有先・時刻・共有した人・メモ・受領</source>
        <translation>Target, time, shared by, note, receipt</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="70"/>
        <source>共有履歴</source>
        <translation>Share history</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="75"/>
        <source>確認 (A)</source>
        <translation>Acknowledge (A)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="76"/>
        <source>検証 (V)</source>
        <translation>Verify (V)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="77"/>
        <source>共有 (S)…</source>
        <translation>Share (S)…</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="78"/>
        <source>却下 (D)</source>
        <translation>Dismiss (D)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="79"/>
        <source>完了 (C)</source>
        <translation>Close (C)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="80"/>
        <source>再開 (R)</source>
        <translation>Reopen (R)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="81"/>
        <source>場所を訂正 (P)…</source>
        <translation>Correct place (P)…</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="100"/>
        <source>類似の投稿</source>
        <translation>Similar posts</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="115"/>
        <source>項目を選択してください</source>
        <translation>Select an item</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="124"/>
        <source>受信 %1</source>
        <translation>received %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="126"/>
        <source>投稿 %1</source>
        <translation>posted %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="128"/>
        <source>不明</source>
        <translation>unknown</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="162"/>
        <source>受領済 %1 %2</source>
        <translation>Received %1 %2</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="164"/>
        <source>既読 %1 (未受領)</source>
        <translation>Read %1 (not received)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="166"/>
        <source>未受領</source>
        <translation>Not received</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/detail_panel.py" line="170"/>
        <source>（まだ共有されていません）</source>
        <translation>(not shared yet)</translation>
    </message>
</context>
<context>
    <name>DismissDialog</name>
    <message>
        <location filename="../../disaster_desk/ui/triage_dialogs.py" line="42"/>
        <source>却下の確認</source>
        <translation>Confirm dismissal</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/triage_dialogs.py" line="43"/>
        <source>%1の情報を却下します。理由を入力してください。</source>
        <translation>You are dismissing a %1 item. Enter a reason.</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/triage_dialogs.py" line="49"/>
        <source>却下の理由（必須）</source>
        <translation>Reason for dismissal (required)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/triage_dialogs.py" line="51"/>
        <source>重複（同じ事案を対応中）</source>
        <translation>Duplicate (the same incident is being handled)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/triage_dialogs.py" line="51"/>
        <source>誤情報・いたずら</source>
        <translation>False information / prank</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/triage_dialogs.py" line="51"/>
        <source>既に対応済</source>
        <translation>Already handled</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/triage_dialogs.py" line="52"/>
        <source>大阪市外の情報</source>
        <translation>Outside Osaka City</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/triage_dialogs.py" line="52"/>
        <source>訓練・広告などの投稿</source>
        <translation>Drill, advertisement or similar post</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/triage_dialogs.py" line="59"/>
        <source>却下する (Enter)</source>
        <translation>Dismiss (Enter)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/triage_dialogs.py" line="68"/>
        <source>↑↓でよくある理由を選択</source>
        <translation>↑↓ picks a common reason</translation>
    </message>
</context>
<context>
    <name>DrillBand</name>
    <message>
        <location filename="../../disaster_desk/ui/drill_band.py" line="17"/>
        <source>訓練中 — EXERCISE</source>
        <translation>EXERCISE — 訓練中</translation>
    </message>
</context>
<context>
    <name>DrillPanel</name>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="121"/>
        <source>ファイル…</source>
        <extracomment>Label → engine speed (None = as fast as possible). Every engine call (start, step, pause, jump, checklist, metrics, report) runs here, never on the GUI thread: a step is ingest + NLP + grouping. The engine is thread-safe (its own lock). The panel drives the engine&apos;s steps (False for a drill driven elsewhere, e.g. the demo). The progress dialog of a run this panel drives at max speed (issue 16.12).</extracomment>
        <translation>File…</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="123"/>
        <source>シナリオ</source>
        <translation>Scenario</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="133"/>
        <source>開始</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="135"/>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="513"/>
        <source>一時停止</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="137"/>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="433"/>
        <source>終了</source>
        <translation>End</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="139"/>
        <source> 分</source>
        <translation> min</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="140"/>
        <source>ジャンプ</source>
        <translation>Jump</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="142"/>
        <source>速度</source>
        <translation>Speed</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="147"/>
        <source>シナリオの操作（共有・確認・チェック）を自動実行する（無人再生用）</source>
        <translation>Run the scenario&apos;s scripted actions (share, acknowledge, check) automatically (unattended replay)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="148"/>
        <source>訓練では既定で切。訓練参加者が自分で共有・確認します。</source>
        <translation>Off by default in drills: the trainees share and acknowledge themselves.</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="151"/>
        <source>経過 00:00:00</source>
        <translation>Elapsed 00:00:00</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="153"/>
        <source>待機中</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="160"/>
        <source>KPI（実行中）</source>
        <translation>KPIs (live)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="162"/>
        <source>収集</source>
        <translation>Collected</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="162"/>
        <source>関連</source>
        <translation>Relevant</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="162"/>
        <source>共有（参加者）</source>
        <translation>Shared (trainees)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="269"/>
        <source>訓練を開始できません: %1</source>
        <translation>Cannot start the drill: %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="305"/>
        <source>実行中: %1</source>
        <translation>Running: %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="321"/>
        <source>訓練の終了</source>
        <translation>End the drill</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="322"/>
        <source>訓練「%1」を終了しますか？
残りの想定（inject）は再生されません。この操作は取り消せません。</source>
        <translation>End the drill “%1”?
The remaining injects will not be played. This cannot be undone.</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="324"/>
        <source>終了する</source>
        <translation>End</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="325"/>
        <source>続ける</source>
        <translation>Continue</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="400"/>
        <source>訓練（最高速）</source>
        <translation>Drill (max speed)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="401"/>
        <source>訓練「%1」を最高速で再生しています</source>
        <translation>Playing drill “%1” at max speed</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="402"/>
        <source>終了…</source>
        <translation>End…</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="427"/>
        <source>事後検証報告を書けません: %1</source>
        <translation>Cannot write the after-action report: %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="433"/>
        <source>途中終了</source>
        <translation>Stopped early</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="433"/>
        <source>異常終了</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="437"/>
        <source>事後検証報告: %1</source>
        <translation>After-action report: %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="452"/>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="457"/>
        <source>事後検証報告</source>
        <translation>After-action report</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="453"/>
        <source>報告ファイルが見つかりません:
%1</source>
        <translation>Report file not found:
%1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="458"/>
        <source>ブラウザで開けませんでした。報告は次の場所にあります:
%1</source>
        <translation>Could not open a browser. The report is here:
%1</translation>
    </message>
    <message>
        <source>共有</source>
        <translation type="vanished">Shared</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="163"/>
        <source>共有時間 中央値</source>
        <translation>Time to share, median</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="163"/>
        <source>区報告</source>
        <translation>Ward reports</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="163"/>
        <source>報告区</source>
        <translation>Wards reporting</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="164"/>
        <source>参集率</source>
        <translation>Muster rate</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="164"/>
        <source>チェック</source>
        <translation>Check</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="174"/>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="351"/>
        <source>チェックリスト</source>
        <translation>Checklist</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="178"/>
        <source>事後検証報告を開く</source>
        <translation>Open after-action report</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="201"/>
        <source>シナリオを開く</source>
        <translation>Open scenario</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="230"/>
        <source>完了にする</source>
        <translation>Mark done</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="246"/>
        <source>解析器を準備中…</source>
        <translation>Preparing the analyser…</translation>
    </message>
    <message>
        <source>実行中 </source>
        <translation type="vanished">Running </translation>
    </message>
    <message>
        <source>終了 </source>
        <translation type="vanished">Ended </translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="467"/>
        <source>（一時停止）</source>
        <translation>(paused)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="468"/>
        <source>経過 </source>
        <translation>Elapsed </translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="497"/>
        <source>完了 </source>
        <translation>Done </translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/drill_panel.py" line="513"/>
        <source>再開</source>
        <translation>Resume</translation>
    </message>
</context>
<context>
    <name>ErrorText</name>
    <message>
        <location filename="../../disaster_desk/ui/error_text.py" line="34"/>
        <source>データベースが拒否しました: このログインの権限ではできない操作です（他の区のデータ、または本番・訓練の別が違うデータ）。</source>
        <translation>The database refused: this login's role may not do this (another ward's data, or real and drill data mixed up).</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/error_text.py" line="36"/>
        <source>データベースが時間内に応答しませんでした（混雑または他の操作の待ち）。しばらくしてからもう一度試してください。</source>
        <translation>The database did not answer in time (busy, or waiting for another operation). Please try again shortly.</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/error_text.py" line="38"/>
        <source>同時に行われた別の変更とぶつかりました。もう一度試してください。</source>
        <translation>This clashed with another change made at the same time. Please try again.</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/error_text.py" line="39"/>
        <source>データベースの規則に合わないため保存できませんでした。</source>
        <translation>Not stored: it contradicts a rule of the database.</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/error_text.py" line="40"/>
        <source>データベースに接続できません。回線と本部のサーバーを確認してください。</source>
        <translation>The database cannot be reached. Check the line and HQ's server.</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/error_text.py" line="42"/>
        <source>データベースが処理できませんでした。</source>
        <translation>The database could not process this.</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/error_text.py" line="46"/>
        <source>本番と訓練の区分が違う行です（訓練の行は本番に、本番の行は訓練に取り込めません）。</source>
        <translation>This row is of the other mode (drill rows cannot be imported into real data, nor real rows into a drill).</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/error_text.py" line="52"/>
        <source>{line}行目（{column}）: </source>
        <translation>Line {line} ({column}): </translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/error_text.py" line="54"/>
        <source>{line}行目: </source>
        <translation>Line {line}: </translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/error_text.py" line="55"/>
        <source>（{column}）: </source>
        <translation>({column}): </translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/error_text.py" line="62"/>
        <source>{line}行目でデータベースに接続できなくなり、取込を止めました（それより前の {n}件は保存済みです）。</source>
        <translation>Line {line}: the database could not be reached, so the import stopped (the {n} rows before it are stored).</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/error_text.py" line="70"/>
        <source>ファイルが見つかりません</source>
        <translation>File not found</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/error_text.py" line="72"/>
        <source>ファイルを読み書きできません（{e}）</source>
        <translation>Cannot read or write the file ({e})</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/error_text.py" line="78"/>
        <source>ほかの端末で先に変更されました。最新の内容を確かめてから、もう一度操作してください。</source>
        <translation>Another station changed this first. Check the latest content, then try again.</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/error_text.py" line="84"/>
        <source>入力が正しくありません（詳細を参照）</source>
        <translation>The input is not valid (see details)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/error_text.py" line="86"/>
        <source>処理できませんでした（詳細を参照）</source>
        <translation>Could not be processed (see details)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/error_text.py" line="87"/>
        <source>予期しないエラーが起きました（詳細はログ）</source>
        <translation>An unexpected error occurred (details in the log)</translation>
    </message>
</context>
<context>
    <name>ExportActions</name>
    <message>
        <location filename="../../disaster_desk/ui/export_actions.py" line="36"/>
        <source>CAP 1.2（共有済み項目）</source>
        <extracomment>kind → (asks for a folder, default file name)</extracomment>
        <translation>CAP 1.2 (shared items)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/export_actions.py" line="39"/>
        <source>SIP4D-ZIP（避難所）</source>
        <translation>SIP4D-ZIP (shelters)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/export_actions.py" line="45"/>
        <location filename="../../disaster_desk/ui/export_actions.py" line="108"/>
        <location filename="../../disaster_desk/ui/export_actions.py" line="120"/>
        <source>書き出し</source>
        <translation>Export</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/export_actions.py" line="56"/>
        <source>書き出し先のフォルダ</source>
        <translation>Export folder</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/export_actions.py" line="58"/>
        <source>書き出し先</source>
        <translation>Export to</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/export_actions.py" line="74"/>
        <source>CAP {n}件を書き出しました: {path}</source>
        <translation>Exported {n} CAP alerts: {path}</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/export_actions.py" line="77"/>
        <source>GeoJSON {n}件を書き出しました: {path}</source>
        <translation>Exported {n} GeoJSON features: {path}</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/export_actions.py" line="80"/>
        <source>CSV {n}件を書き出しました: {path}</source>
        <translation>Exported {n} CSV rows: {path}</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/export_actions.py" line="82"/>
        <source>SIP4D-ZIP 避難所 {n}件を書き出しました: {path}</source>
        <translation>Exported SIP4D-ZIP with {n} shelters: {path}</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/export_actions.py" line="84"/>
        <source>（位置の分からない避難所 {n}件は含めていません）</source>
        <translation> ({n} shelters without a known position left out)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/export_actions.py" line="93"/>
        <source>{kind} を書き出しています</source>
        <translation>Exporting {kind}</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/export_actions.py" line="95"/>
        <source>（訓練データ）</source>
        <translation> (drill data)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/export_actions.py" line="104"/>
        <source>書き込めません（{e}）</source>
        <translation>cannot write ({e})</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/export_actions.py" line="109"/>
        <source>{path} に書き出せませんでした。
理由: {reason}</source>
        <translation>Could not export to {path}.
Reason: {reason}</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/export_actions.py" line="118"/>
        <source>書き出しを中止しました（ファイルは変わっていません）</source>
        <translation>Export stopped (no file was changed)</translation>
    </message>
</context>
<context>
    <name>HelpOverlay</name>
    <message>
        <location filename="../../disaster_desk/ui/help_overlay.py" line="25"/>
        <source>キーボード操作</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/help_overlay.py" line="32"/>
        <source>Esc または任意のキーで閉じる</source>
        <translation>Esc or any key closes</translation>
    </message>
</context>
<context>
    <name>InboxPanel</name>
    <message>
        <source>未読</source>
        <translation type="vanished">Unread</translation>
    </message>
    <message>
        <source>共有</source>
        <translation type="vanished">Shared</translation>
    </message>
    <message>
        <source>項目</source>
        <translation type="vanished">Item</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/inbox_panel.py" line="75"/>
        <source>受領</source>
        <extracomment>The number of shares not yet received (受領), for the dock&apos;s tab. A receipt was stored (share event id). A receipt could not be sent (title, message for the window&apos;s error dialog).</extracomment>
        <translation>Receipt</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/inbox_panel.py" line="75"/>
        <source>共有日時</source>
        <translation>Shared at</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/inbox_panel.py" line="75"/>
        <source>分類</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/inbox_panel.py" line="75"/>
        <source>場所</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/inbox_panel.py" line="76"/>
        <source>内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/inbox_panel.py" line="76"/>
        <source>送信者</source>
        <translation>Sender</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/inbox_panel.py" line="88"/>
        <source>受領 (Space)</source>
        <translation>Acknowledge receipt (Space)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/inbox_panel.py" line="89"/>
        <source>本部へ受領を送ります（本部の共有履歴に受領済と表示されます）</source>
        <translation>Sends a receipt to HQ (HQ&apos;s share history shows it as received)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/inbox_panel.py" line="91"/>
        <source>表示 (Enter)</source>
        <translation>Show (Enter)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/inbox_panel.py" line="123"/>
        <source>区が設定されていません (設定: station_ward)</source>
        <translation>No ward configured (setting: station_ward)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/inbox_panel.py" line="147"/>
        <source>未受領</source>
        <translation>Not received</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/inbox_panel.py" line="148"/>
        <source>受領済 %1</source>
        <translation>Received %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/inbox_panel.py" line="153"/>
        <source>%1 への共有 (未受領 %2件)</source>
        <translation>Shared with %1 (%2 not received)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/inbox_panel.py" line="185"/>
        <source>分類: %1</source>
        <translation>Category: %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/inbox_panel.py" line="186"/>
        <source>場所: %1</source>
        <translation>Place: %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/inbox_panel.py" line="186"/>
        <source>不明</source>
        <translation>unknown</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/inbox_panel.py" line="187"/>
        <source>内容: %1</source>
        <translation>Content: %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/inbox_panel.py" line="190"/>
        <source>本部からのメモ: %1</source>
        <translation>Note from HQ: %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/inbox_panel.py" line="191"/>
        <source>送信者: %1</source>
        <translation>Sender: %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/inbox_panel.py" line="192"/>
        <source>共有日時: %1</source>
        <translation>Shared at: %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/inbox_panel.py" line="197"/>
        <source>受領済: %1 %2</source>
        <translation>Received: %1 %2</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/inbox_panel.py" line="200"/>
        <source>未受領（受領を押すと本部に伝わります）</source>
        <translation>Not received (press Acknowledge receipt to tell HQ)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/inbox_panel.py" line="233"/>
        <source>受領を送れませんでした: %1</source>
        <translation>Could not send the receipt: %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/inbox_panel.py" line="235"/>
        <source>受領を送れません</source>
        <translation>Cannot send the receipt</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/inbox_panel.py" line="235"/>
        <source>本部との接続を確認して、もう一度受領を押してください。</source>
        <translation>Check the link to HQ and press Acknowledge receipt again.</translation>
    </message>
    <message>
        <source>%1 への共有 (未読 %2件)</source>
        <translation type="vanished">Shared with %1 (%2 unread)</translation>
    </message>
</context>
<context>
    <name>LoadingPanel</name>
    <message>
        <location filename="../../disaster_desk/ui/placeholders.py" line="36"/>
        <source>%1 を準備中…</source>
        <translation>Preparing %1…</translation>
    </message>
</context>
<context>
    <name>LogPanel</name>
    <message>
        <location filename="../../disaster_desk/ui/log_panel.py" line="49"/>
        <source>消去</source>
        <translation>Clear</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>操作できません: %1</source>
        <extracomment>True until the end of __init__, so paint events during construction are ignored. The map and drill panel exist (shortly after the window is shown). The drill run shown (demo or drill panel); its scope and clock drive the window. Selecting an item pans the map to it (off for overview screenshots).</extracomment>
        <translation type="vanished">Not allowed: %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="172"/>
        <location filename="../../disaster_desk/ui/main_window.py" line="191"/>
        <source>地図</source>
        <extracomment>True until the end of __init__, so paint events during construction are ignored. The map and drill panel exist (shortly after the window is shown). Who this station is (its login&apos;s stations row on PostgreSQL, settings on SQLite): it fixes the ward and which layouts the role menu offers; saved window state never does. The drill run shown (demo or drill panel); its scope and clock drive the window. Selecting an item pans the map to it (off for overview screenshots). Ask before closing (the app; tests and screenshots close without asking). The dialogs open now (None when closed), for the keyboard flows and their tests. Marker updates applied so far, and the last one of each key (a picture read before it is older). The map&apos;s picture is read again now and then: posts leave the time window, counts follow.</extracomment>
        <translation>Map</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="175"/>
        <location filename="../../disaster_desk/ui/main_window.py" line="195"/>
        <source>訓練</source>
        <translation>Drill</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="190"/>
        <source>キュー</source>
        <translation>Queue</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="192"/>
        <source>詳細</source>
        <translation>Detail</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="193"/>
        <source>区報告</source>
        <translation>Ward reports</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="194"/>
        <source>気象庁</source>
        <translation>JMA</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="196"/>
        <source>収集状況</source>
        <translation>Collectors</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="197"/>
        <source>ログ</source>
        <translation>Log</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="198"/>
        <source>区報告フォーム</source>
        <translation>Ward report form</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="199"/>
        <location filename="../../disaster_desk/ui/main_window.py" line="208"/>
        <source>共有受信箱</source>
        <translation>Shared inbox</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="209"/>
        <source>%1 (未受領 %2)</source>
        <translation>%1 (%2 not received)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="244"/>
        <source>地図上で被害の位置をクリックしてください</source>
        <translation>Click the place of the damage on the map</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="251"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="271"/>
        <source>この端末では「%1」に切り替えられません</source>
        <translation>This station cannot switch to “%1”</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="320"/>
        <source>訓練中</source>
        <translation>DRILL</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="320"/>
        <source>本番</source>
        <translation>LIVE</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="431"/>
        <source>操作できません</source>
        <translation>Cannot do this</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="96"/>
        <source>本部</source>
        <translation>HQ</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="96"/>
        <source>区</source>
        <translation>Ward</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="96"/>
        <source>訓練統制</source>
        <translation>Drill control</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="326"/>
        <source>災害情報デスク — %1 — %2</source>
        <translation>Disaster Desk — %1 — %2</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="401"/>
        <source>項目が選択されていません</source>
        <translation>No item selected</translation>
    </message>
    <message>
        <source>確認しました</source>
        <translation type="vanished">Acknowledged</translation>
    </message>
    <message>
        <source>検証済にしました</source>
        <translation type="vanished">Verified</translation>
    </message>
    <message>
        <source>共有しました</source>
        <translation type="vanished">Shared</translation>
    </message>
    <message>
        <source>却下しました</source>
        <translation type="vanished">Dismissed</translation>
    </message>
    <message>
        <source>完了にしました</source>
        <translation type="vanished">Closed</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="538"/>
        <source>経過 %1</source>
        <translation>Elapsed %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="555"/>
        <source>デモが終了しました</source>
        <translation>The demo has finished</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="585"/>
        <source>デモを開始できません: %1</source>
        <translation>Cannot start the demo: %1</translation>
    </message>
    <message>
        <source>解析モデルを読み込み中…</source>
        <translation type="vanished">Loading the analysis model…</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="559"/>
        <source>デモの準備: 解析器を読み込んでいます（辞書・学習モデル・地名辞書）</source>
        <translation>Preparing the demo: loading the analyser (dictionary, learned model, gazetteer)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="564"/>
        <source>解析器 %p%</source>
        <translation>Analyser %p%</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="570"/>
        <source>解析器</source>
        <translation>Analyser</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="580"/>
        <source>デモの準備: %1</source>
        <translation>Preparing the demo: %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="593"/>
        <source>デモを取り消しました</source>
        <translation>Demo cancelled</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="602"/>
        <source>デモ再生中: %1</source>
        <translation>Demo playing: %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="607"/>
        <source>訓練開始: %1</source>
        <translation>Drill started: %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="44"/>
        <source>ファイル(&amp;F)</source>
        <extracomment>(action id, shortcut) of the triage actions.</extracomment>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="46"/>
        <source>終了</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="48"/>
        <source>操作(&amp;O)</source>
        <translation>&amp;Operate</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="50"/>
        <source>確認</source>
        <translation>Acknowledge</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="51"/>
        <source>検証</source>
        <translation>Verify</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="52"/>
        <source>共有…</source>
        <translation>Share…</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="53"/>
        <source>却下</source>
        <translation>Dismiss</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="54"/>
        <location filename="../../disaster_desk/ui/window_actions.py" line="157"/>
        <source>完了</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="55"/>
        <source>再開</source>
        <translation>Reopen</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="56"/>
        <location filename="../../disaster_desk/ui/window_actions.py" line="159"/>
        <source>場所を訂正…</source>
        <translation>Correct place…</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="63"/>
        <location filename="../../disaster_desk/ui/window_actions.py" line="160"/>
        <source>自分の直前の操作を取り消す</source>
        <translation>Undo my last action</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="68"/>
        <location filename="../../disaster_desk/ui/window_actions.py" line="161"/>
        <source>次の項目</source>
        <translation>Next item</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="69"/>
        <location filename="../../disaster_desk/ui/window_actions.py" line="162"/>
        <source>前の項目</source>
        <translation>Previous item</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="70"/>
        <location filename="../../disaster_desk/ui/window_actions.py" line="163"/>
        <source>検索</source>
        <translation>Search</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="71"/>
        <source>キューへ移動</source>
        <translation>Go to queue</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="73"/>
        <source>表示(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="77"/>
        <source>共有受信箱へ</source>
        <translation>Go to the inbox</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="81"/>
        <source>文字を大きく</source>
        <translation>Larger text</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="82"/>
        <source>文字を小さく</source>
        <translation>Smaller text</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="83"/>
        <source>標準の文字サイズ</source>
        <translation>Normal text size</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="84"/>
        <source>言語 / Language</source>
        <translation>言語 / Language</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="93"/>
        <source>役割(&amp;R)</source>
        <translation>&amp;Role</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="105"/>
        <source>訓練(&amp;D)</source>
        <translation>&amp;Drill</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="106"/>
        <source>デモを再生</source>
        <translation>Play demo</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="108"/>
        <source>ヘルプ(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="109"/>
        <source>キーボード操作</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="111"/>
        <source>このアプリについて</source>
        <translation>About this application</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="124"/>
        <source>キー操作はキューで: Esc でキューへ戻る</source>
        <translation>Triage keys work in the queue: Esc goes back to it</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="133"/>
        <source>この画面には共有受信箱がありません</source>
        <translation>This layout has no inbox</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="153"/>
        <source>確認 (新規 → 確認済)</source>
        <translation>Acknowledge (new → acknowledged)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="154"/>
        <source>検証 (確認済 → 検証済)</source>
        <translation>Verify (acknowledged → verified)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="155"/>
        <source>共有… (共有先を選んで Enter、新規は確認も)</source>
        <translation>Share… (pick targets, Enter; a new item is acknowledged too)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="156"/>
        <source>却下 (救助・負傷は理由を入力)</source>
        <translation>Dismiss (rescue and casualty need a reason)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="158"/>
        <source>再開 (却下・完了 → 元の状態)</source>
        <translation>Reopen (dismissed/closed → previous state)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="165"/>
        <source>共有受信箱へ (Space で受領)</source>
        <translation>Go to the inbox (Space acknowledges receipt)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="235"/>
        <source>場所を訂正できません</source>
        <translation>Cannot correct the place</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="236"/>
        <source>場所を訂正できるのは投稿と被害報告です</source>
        <translation>Only posts and damage reports have a place to correct</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="280"/>
        <source>訓練中です。災害情報デスクを終了しますか？</source>
        <translation>A drill is running. Quit Disaster Desk?</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="281"/>
        <source>災害情報デスクを終了しますか？
終了すると、この端末では新着の通知を受け取れません。</source>
        <translation>Quit Disaster Desk?
After quitting, this station receives no notice of new items.</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="284"/>
        <source>本部へ未送信の報告が %1 件あります。終了すると、次に起動するまで送信されません。</source>
        <translation>%1 report(s) not yet sent to HQ. If you quit, they are not sent until the next start.</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="287"/>
        <source>終了の確認</source>
        <translation>Confirm quit</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="289"/>
        <source>終了する</source>
        <translation>End</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="290"/>
        <source>続ける</source>
        <translation>Continue</translation>
    </message>
    <message>
        <source>共有… (共有先を選んで Enter)</source>
        <translation type="vanished">Share… (choose targets, Enter)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="164"/>
        <source>キューへ戻る</source>
        <translation>Back to the queue</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="166"/>
        <source>役割: 本部 / 区 / 訓練統制</source>
        <translation>Role: HQ / ward / drill control</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="167"/>
        <source>文字の大きさ</source>
        <translation>Text size</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="168"/>
        <source>このヘルプ</source>
        <translation>This help</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/window_actions.py" line="184"/>
        <source>言語は次回の起動時に切り替わります / Language changes on the next start</source>
        <translation>言語は次回の起動時に切り替わります / Language changes on the next start</translation>
    </message>
</context>
<context>
    <name>MapView</name>
    <message>
        <location filename="../../disaster_desk/ui/map/view.py" line="135"/>
        <source>全期間</source>
        <extracomment>Every http(s) URL the page asked for, allowed or not (the offline default asks none). A point picked with :meth:`pick_location` (the ward form&apos;s damage location). The operator chose another time window (a MapWindow). Why the local tiles are not shown (None when they are, or when none are configured).</extracomment>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/map/view.py" line="135"/>
        <source>直近%1時間</source>
        <translation>Last %1 h</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/map/view.py" line="149"/>
        <source>投稿の表示期間</source>
        <translation>Posts shown</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/map/view.py" line="233"/>
        <source>投稿マーカー %1件</source>
        <translation>%1 post markers</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/map/view.py" line="235"/>
        <source>（上限%1件）</source>
        <translation> (limit %1)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/map/view.py" line="237"/>
        <source> ・ ほか%1件は区・町の件数</source>
        <translation> · %1 more counted per ward and town</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/map/view.py" line="144"/>
        <source>ローカルタイルを表示できません（エリア地図を表示）: %1</source>
        <translation>Cannot show the local tiles (showing the area map): %1</translation>
    </message>
</context>
<context>
    <name>MissingPanel</name>
    <message>
        <location filename="../../disaster_desk/ui/placeholders.py" line="21"/>
        <source>%1 は利用できません (%2)</source>
        <translation>%1 is not available (%2)</translation>
    </message>
</context>
<context>
    <name>OfflineStationWindow</name>
    <message>
        <location filename="../../disaster_desk/ui/offline_station.py" line="29"/>
        <source>区未設定</source>
        <translation>no ward set</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/offline_station.py" line="30"/>
        <source>災害情報デスク — {0} — 本部との回線断（報告は送信待ちに保存）</source>
        <translation>Disaster Desk — {0} — link to HQ down (reports kept in the outbox)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/offline_station.py" line="31"/>
        <source>報告は送信待ちに保存し、接続の回復後に自動で送信します。</source>
        <translation>Reports are kept in the outbox and sent automatically when the link is back.</translation>
    </message>
</context>
<context>
    <name>PlaceDialog</name>
    <message>
        <location filename="../../disaster_desk/ui/triage_dialogs.py" line="101"/>
        <source>場所の訂正</source>
        <translation>Correct place</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/triage_dialogs.py" line="103"/>
        <source>（区を選択）</source>
        <translation>(choose a ward)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/triage_dialogs.py" line="109"/>
        <source>例: 天満橋駅前、中崎町2丁目</source>
        <translation>e.g. in front of Temmabashi Station, Nakazakicho 2-chome</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/triage_dialogs.py" line="118"/>
        <source>訂正する (Enter)</source>
        <translation>Correct (Enter)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/triage_dialogs.py" line="122"/>
        <source>区</source>
        <translation>Ward</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/triage_dialogs.py" line="123"/>
        <source>場所</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/triage_dialogs.py" line="124"/>
        <source>緯度（任意）</source>
        <translation>Latitude (optional)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/triage_dialogs.py" line="125"/>
        <source>経度（任意）</source>
        <translation>Longitude (optional)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/triage_dialogs.py" line="127"/>
        <source>座標を空にすると区の代表点に置きます</source>
        <translation>Without coordinates the item is placed at the ward&apos;s centre point</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/triage_dialogs.py" line="137"/>
        <source>（なし）</source>
        <translation>(none)</translation>
    </message>
</context>
<context>
    <name>ProgressTask</name>
    <message>
        <location filename="../../disaster_desk/ui/progress.py" line="85"/>
        <source>中止</source>
        <extracomment>Work shorter than this shows no dialog (a flash would only distract). What the task returns when it stopped on a cancel request. (done, total) as the dialog last showed it: what tests and the log read.</extracomment>
        <translation>Stop</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/progress.py" line="160"/>
        <source>中止しています…</source>
        <translation>Stopping…</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <location filename="../../disaster_desk/ui/queue_model.py" line="69"/>
        <source>区分</source>
        <extracomment>The label column of a post whose analysis failed (it is queued with the rescue calls). Text search without a time window scans every post to count it: stop counting here (&quot;1,000+&quot;) and keep fetching pages until one comes back short. Emitted with the QueueRows that were not in the model before a refresh.</extracomment>
        <translation>Labels</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/queue_model.py" line="69"/>
        <source>本文</source>
        <translation>Text</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/queue_model.py" line="69"/>
        <source>場所</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/queue_model.py" line="69"/>
        <source>受信</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/queue_model.py" line="69"/>
        <source>状態</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/queue_model.py" line="69"/>
        <source>出典</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/queue_model.py" line="306"/>
        <source>%1 たった今</source>
        <extracomment>Bumped by each reload: a refresh read before it is not merged.</extracomment>
        <translation>%1 just now</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/queue_model.py" line="308"/>
        <source>%1 (%2分前)</source>
        <translation>%1 (%2 min ago)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/queue_model.py" line="318"/>
        <source> 他%1</source>
        <translation> +%1 more</translation>
    </message>
</context>
<context>
    <name>QueuePanel</name>
    <message>
        <location filename="../../disaster_desk/ui/queue_panel.py" line="91"/>
        <source>検索 (/)</source>
        <extracomment>Time windows offered by the filter, in hours (0 = all). The selected item&apos;s QueueRow (None when the selection is cleared).</extracomment>
        <translation>Search (/)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/queue_panel.py" line="93"/>
        <source>全区分</source>
        <translation>All labels</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/queue_panel.py" line="94"/>
        <source>全区</source>
        <translation>All wards</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/queue_panel.py" line="95"/>
        <source>全出典</source>
        <translation>All sources</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/queue_panel.py" line="96"/>
        <source>全状態</source>
        <translation>All states</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/queue_panel.py" line="99"/>
        <source>全期間</source>
        <translation>All time</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/queue_panel.py" line="99"/>
        <source>直近%1時間</source>
        <translation>Last %1 h</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/queue_panel.py" line="187"/>
        <source>%1件 ・新着あり ↑</source>
        <extracomment>Set by the window: refreshes read the database there (never in the GUI thread).</extracomment>
        <translation>%1 items · new items ↑</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/queue_panel.py" line="204"/>
        <source>%1件</source>
        <translation>%1 items</translation>
    </message>
</context>
<context>
    <name>ReportsPanel</name>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="219"/>
        <source>{name}: 中止しました。{n}件を保存しました。{line}行目から後は読んでいません（もう一度取り込むと、保存済みの行は重複として数え、残りを取り込みます）。</source>
        <translation>{name}: stopped. {n} rows stored; nothing from line {line} on was read (importing the file again counts the stored rows as duplicates and imports the rest).</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="111"/>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="117"/>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="120"/>
        <source>区</source>
        <extracomment>Problems listed in the registry import dialog&apos;s text (all of them are in its details). The last long task (import, export) with its progress dialog; the CSV import&apos;s problem dialog.</extracomment>
        <translation>Ward</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="111"/>
        <source>開設</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="111"/>
        <source>満員</source>
        <translation>Full</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="111"/>
        <source>閉鎖</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="111"/>
        <source>未開設</source>
        <translation>Not open</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="112"/>
        <source>避難者</source>
        <translation>Evacuees</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="112"/>
        <source>世帯</source>
        <translation>Households</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="112"/>
        <source>収容可能</source>
        <translation>Capacity</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="112"/>
        <source>充足率</source>
        <translation>Occupancy</translation>
    </message>
    <message>
        <source>種別</source>
        <translation type="vanished">Type</translation>
    </message>
    <message>
        <source>軽微</source>
        <translation type="vanished">Minor</translation>
    </message>
    <message>
        <source>重大</source>
        <translation type="vanished">Major</translation>
    </message>
    <message>
        <source>甚大</source>
        <translation type="vanished">Critical</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="117"/>
        <source>所属</source>
        <translation>Office</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="117"/>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="123"/>
        <source>参集</source>
        <translation>Muster</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="117"/>
        <source>予定</source>
        <translation>Expected</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="117"/>
        <source>参集率</source>
        <translation>Muster rate</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="120"/>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="124"/>
        <source>システム</source>
        <translation>Systems</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="120"/>
        <source>更新</source>
        <translation>Updated</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="120"/>
        <source>備考</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="120"/>
        <source>状況</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="121"/>
        <source>避難所</source>
        <translation>Shelters</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="122"/>
        <source>被害</source>
        <translation>Damage</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="126"/>
        <source>CSV取込…</source>
        <translation>Import CSV…</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="126"/>
        <source>CSV出力…</source>
        <translation>Export CSV…</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="127"/>
        <source>テンプレート…</source>
        <translation>Template…</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="128"/>
        <source>避難所台帳取込…</source>
        <translation>Import shelter registry…</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="163"/>
        <source>市全体</source>
        <translation>City-wide</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="181"/>
        <source>市全体 参集 {a}/{e}（{r:.0%}、目標 {t:.0%}）</source>
        <translation>City-wide muster {a}/{e} ({r:.0%}, target {t:.0%})</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="184"/>
        <source>参集報告なし</source>
        <translation>No muster reports</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="191"/>
        <source>全庁</source>
        <translation>All offices</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="194"/>
        <source>開設 {o}・満員 {f}・避難者 {e}人 ／ 停止中システム {d}</source>
        <translation>Open {o} · full {f} · evacuees {e} / systems down {d}</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="220"/>
        <source>{name}: {summary}
取り込めなかった行があります（ほかの行は取り込みました）。</source>
        <translation>{name}: {summary}
Some lines were not imported (the other lines were).</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="229"/>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="292"/>
        <source>{name} を取り込んでいます</source>
        <translation>Importing {name}</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="241"/>
        <source>CSVを書き出しました: {path}</source>
        <translation>CSV written: {path}</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="246"/>
        <source>{name} を書き出しています</source>
        <translation>Writing {name}</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="255"/>
        <source>ファイルを読み書きできません（{e}）</source>
        <translation>Cannot read or write the file ({e})</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="258"/>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="259"/>
        <source>処理できませんでした: %1</source>
        <translation>Could not process: %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="219"/>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="229"/>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="266"/>
        <source>CSV取込</source>
        <translation>Import CSV</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="259"/>
        <source>CSV</source>
        <translation>CSV</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="289"/>
        <source>避難所台帳を取り込んでいます: {name}</source>
        <translation>Importing the shelter registry: {name}</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="296"/>
        <source>避難所台帳 {name}: 中止しました。台帳は変わっていません</source>
        <translation>Shelter registry {name}: stopped. The registry is unchanged</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="301"/>
        <source>避難所台帳 {name}: {summary}</source>
        <translation>Shelter registry {name}: {summary}</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="332"/>
        <source>{line}行目</source>
        <translation>line {line}</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="340"/>
        <source>…ほか {n}件（詳細に全件）</source>
        <translation>…and {n} more (all in the details)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="292"/>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="307"/>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="321"/>
        <source>避難所台帳の取込</source>
        <translation>Shelter registry import</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="308"/>
        <source>{name}: {summary}
取り込めなかった行・重複した行があります。</source>
        <translation>{name}: {summary}
Some lines were refused or duplicated.</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="314"/>
        <source>避難所台帳 {name}: 取り込めませんでした</source>
        <translation>Shelter registry {name}: not imported</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="253"/>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="316"/>
        <source>ファイルが見つかりません</source>
        <translation>file not found</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="318"/>
        <source>ファイルを読めません（{e}）</source>
        <translation>cannot read the file ({e})</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="322"/>
        <source>{name} を取り込めませんでした。台帳は変わっていません。
理由: {reason}</source>
        <translation>{name} could not be imported. The registry is unchanged.
Reason: {reason}</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="213"/>
        <source>取込 {n}件、重複 {d}件、エラー {e}件</source>
        <translation>Imported {n}, duplicates {d}, errors {e}</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="245"/>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="272"/>
        <source>CSV出力</source>
        <translation>Export CSV</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="278"/>
        <source>テンプレート</source>
        <translation>Template</translation>
    </message>
    <message>
        <source>避難所台帳: 新規 {i}件、更新 {u}件、エラー {e}件</source>
        <translation type="vanished">Shelter registry: {i} new, {u} updated, {e} errors</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/panel.py" line="325"/>
        <source>避難所台帳取込</source>
        <translation>Import shelter registry</translation>
    </message>
</context>
<context>
    <name>RescueBanner</name>
    <message>
        <location filename="../../disaster_desk/ui/attention.py" line="34"/>
        <source>表示</source>
        <translation>Show</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/attention.py" line="36"/>
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/attention.py" line="95"/>
        <source>救助要請 未対応 %1件 — %2 %3</source>
        <extracomment>Announced rescue items not handled yet, oldest first (key -&gt; queue row).</extracomment>
        <translation>Rescue requests not handled: %1 — %2 %3</translation>
    </message>
    <message>
        <source>救助要請 %1件 新着 — %2 %3</source>
        <translation type="vanished">Rescue requests: %1 new — %2 %3</translation>
    </message>
</context>
<context>
    <name>ShareDialog</name>
    <message>
        <location filename="../../disaster_desk/ui/share_dialog.py" line="32"/>
        <source>共有先を選択</source>
        <translation>Choose share targets</translation>
    </message>
    <message>
        <source>共有先を絞り込み (例: 北区, 消防局)</source>
        <translation type="vanished">Filter targets (e.g. 北区, 消防局)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/share_dialog.py" line="34"/>
        <source>共有先を絞り込み (例: 北区, 消防局, kita, shobo)</source>
        <translation>Filter targets (e.g. 北区, 消防局, kita, shobo, Fire Bureau)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/share_dialog.py" line="46"/>
        <source>メモ (任意)</source>
        <translation>Note (optional)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/share_dialog.py" line="48"/>
        <source>共有 (Enter)</source>
        <translation>Share (Enter)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/share_dialog.py" line="52"/>
        <source>入力で絞り込み・↑↓で移動・Spaceで選択・Enterで共有</source>
        <translation>Type to filter · ↑↓ move · Space tick · Enter share</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <location filename="../../disaster_desk/ui/startup.py" line="34"/>
        <source>データベースを開いています（必要ならスキーマを更新します）</source>
        <extracomment>The start&apos;s phases in order, with where the bar stands when each begins (0-1). The analyser&apos;s three steps share the rest (:data:`ANALYSER_FROM` to 1).</extracomment>
        <translation>Opening the database (updating its schema if needed)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/startup.py" line="35"/>
        <source>収集を開始しています</source>
        <translation>Starting the collectors</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/startup.py" line="36"/>
        <source>画面を作成しています</source>
        <translation>Building the window</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/startup.py" line="37"/>
        <source>解析器を準備しています</source>
        <translation>Preparing the analyser</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/startup.py" line="38"/>
        <source>準備ができました</source>
        <translation>Ready</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/startup.py" line="45"/>
        <source>形態素解析の辞書（Sudachi／GiNZA）を読み込んでいます</source>
        <translation>Loading the morphological dictionary (Sudachi/GiNZA)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/startup.py" line="46"/>
        <source>学習モデルを読み込んでいます</source>
        <translation>Loading the learned model</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/startup.py" line="47"/>
        <source>地名辞書（区・町丁目・駅・避難所）を読み込んでいます</source>
        <translation>Loading the gazetteer (wards, towns, stations, shelters)</translation>
    </message>
</context>
<context>
    <name>StartupWindow</name>
    <message>
        <location filename="../../disaster_desk/ui/startup.py" line="58"/>
        <source>災害情報デスク — 起動中</source>
        <translation>Disaster Desk — starting</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/startup.py" line="61"/>
        <source>災害情報デスクを起動しています</source>
        <translation>Disaster Desk is starting</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/startup.py" line="71"/>
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/startup.py" line="114"/>
        <source>解析器を読み込めませんでした: %1</source>
        <extracomment>Every text shown, in order (the start&apos;s record; logged too).</extracomment>
        <translation>The analyser could not be loaded: %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/startup.py" line="0" />
        <source>データベースのスキーマを更新しています %1/%2</source>
        <translation>Updating the database schema %1/%2</translation>
    </message>
</context>
<context>
    <name>StationLogin</name>
    <message>
        <location filename="../../disaster_desk/ui/station_login.py" line="46"/>
        <source>ログインできません</source>
        <translation>Cannot log in</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/station_login.py" line="49"/>
        <source>この端末では災害情報デスクを開けません。</source>
        <translation>Disaster Desk cannot be opened on this station.</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/station_login.py" line="55"/>
        <source>データベースに接続できません</source>
        <translation>Cannot connect to the database</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/station_login.py" line="56"/>
        <source>本部のデータベースに接続できません。ネットワークと設定を確認してください。</source>
        <translation>Cannot connect to the HQ database. Check the network and the settings.</translation>
    </message>
</context>
<context>
    <name>TriageController</name>
    <message>
        <location filename="../../disaster_desk/ui/triage_controller.py" line="90"/>
        <source>予期しないエラー: %1</source>
        <extracomment>Labels whose dismissal asks for a reason and a confirmation. (action, item key) after a successful change. A sentence for the status bar after a change (item text, state, targets). (action, item key, message) when the core refused the change: the window shows a dialog.</extracomment>
        <translation>Unexpected error: %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/triage_controller.py" line="115"/>
        <source>%1しました: %2</source>
        <translation>%1: done — %2</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/triage_controller.py" line="137"/>
        <source>共有しました: %1→%2</source>
        <translation>Shared: %1 → %2</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/triage_controller.py" line="145"/>
        <source>%1を取り消しました: %2（%3に戻しました）</source>
        <translation>Undone %1: %2 (back to %3)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/triage_controller.py" line="157"/>
        <source>場所を訂正しました: %1 → %2</source>
        <translation>Place corrected: %1 → %2</translation>
    </message>
</context>
<context>
    <name>WardReportForm</name>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="162"/>
        <source>訓練中 — 報告は訓練（%1）として送信されます</source>
        <translation>Drill — reports are sent as drill (%1)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="176"/>
        <source>— 選択してください —</source>
        <translation>— choose —</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="189"/>
        <source>未把握なら空欄</source>
        <translation>leave empty if unknown</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="201"/>
        <source>位置</source>
        <translation>Location</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="229"/>
        <source>地図で指定 (Ctrl+M)</source>
        <translation>Pick on the map (Ctrl+M)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="231"/>
        <source>消去</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="247"/>
        <source>地図がないため位置は指定できません（場所の文字で報告してください）</source>
        <translation>No map: a location cannot be picked (describe the place in words)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="253"/>
        <source>未指定</source>
        <translation>not set</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="255"/>
        <source>北緯 %1 / 東経 %2</source>
        <translation>%1 N / %2 E</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="345"/>
        <source>前回の報告（%1）の値を表示しています。変わった所を直して送信してください。</source>
        <translation>Showing the values of the last report (%1). Correct what changed and send.</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="372"/>
        <source>入力を確認してください（%1件）:
</source>
        <translation>Please check the input (%1):
</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="387"/>
        <source>送信しませんでした（同じ内容の報告が送信済みです）</source>
        <translation>Not sent (the same report was sent already)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="392"/>
        <source>入力エラー: %1</source>
        <translation>Input error: %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="395"/>
        <source>送信待ちに保存しました: %1</source>
        <translation>Saved in the outbox: %1</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="403"/>
        <source>重複の確認</source>
        <translation>Possible duplicate</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="404"/>
        <source>同じ内容の報告を %1 に%2です。
%3

もう一度送信しますか？</source>
        <translation>The same report was %2 at %1.
%3

Send it again?</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="408"/>
        <source>もう一度送信する</source>
        <translation>Send again</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="409"/>
        <source>送信しない</source>
        <translation>Do not send</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="429"/>
        <source>本部へ送信しました（%1件）</source>
        <translation>Sent to HQ (%1)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="432"/>
        <source>送信待ち %1件は保存済みで、接続の回復後に自動で送信します。</source>
        <translation>%1 waiting report(s) are saved and will be sent automatically when the link is back.</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="439"/>
        <source>送信処理でエラーが発生しました。報告は保存されています（詳細はログ）。</source>
        <translation>Sending failed. The reports are saved (details in the log).</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="447"/>
        <source>送信履歴 — 送信待ち %1件・エラー %2件・送信済 %3件</source>
        <translation>Sent reports — %1 waiting, %2 errors, %3 sent</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="451"/>
        <source>・保留 %1件（別の送信先宛て）</source>
        <translation>, %1 held (for another database)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="113"/>
        <source>送信 (Ctrl+Enter)</source>
        <extracomment>Choices that start at a neutral value instead of 「選択してください」. The damage page asks the window to let the user click the location on the map.</extracomment>
        <translation>Send (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="126"/>
        <source>区</source>
        <translation>Ward</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/reports/ward_form.py" line="127"/>
        <source>報告種別</source>
        <translation>Report kind</translation>
    </message>
    <message>
        <source>入力エラー: {msg}</source>
        <translation type="vanished">Input error: {msg}</translation>
    </message>
    <message>
        <source>送信しました（{n}件）</source>
        <translation type="vanished">Sent ({n})</translation>
    </message>
    <message>
        <source>本部に接続できません。{n}件を保存し、接続の回復後に自動送信します。</source>
        <translation type="vanished">Cannot reach HQ. {n} saved; they are sent automatically when the link is back.</translation>
    </message>
    <message>
        <source>送信エラー: {msg}</source>
        <translation type="vanished">Send error: {msg}</translation>
    </message>
    <message>
        <source>未送信 {n}件</source>
        <translation type="vanished">{n} not sent</translation>
    </message>
</context>
<context>
    <name>names</name>
    <message>
        <source>救助要請</source>
        <translation type="vanished">Rescue</translation>
    </message>
    <message>
        <source>負傷・医療</source>
        <translation type="vanished">Casualty / medical</translation>
    </message>
    <message>
        <source>火災</source>
        <translation type="vanished">Fire</translation>
    </message>
    <message>
        <source>建物・構造物被害</source>
        <translation type="vanished">Building damage</translation>
    </message>
    <message>
        <source>浸水・冠水</source>
        <translation type="vanished">Flooding</translation>
    </message>
    <message>
        <source>ライフライン</source>
        <translation type="vanished">Lifelines</translation>
    </message>
    <message>
        <source>交通</source>
        <translation type="vanished">Transport</translation>
    </message>
    <message>
        <source>避難・避難所</source>
        <translation type="vanished">Evacuation / shelter</translation>
    </message>
    <message>
        <source>物資・支援</source>
        <translation type="vanished">Supplies</translation>
    </message>
    <message>
        <source>安否・行方不明</source>
        <translation type="vanished">Safety / missing</translation>
    </message>
    <message>
        <source>該当なし</source>
        <translation type="vanished">None</translation>
    </message>
    <message>
        <source>新規</source>
        <translation type="vanished">New</translation>
    </message>
    <message>
        <source>確認済</source>
        <translation type="vanished">Acknowledged</translation>
    </message>
    <message>
        <source>検証済</source>
        <translation type="vanished">Verified</translation>
    </message>
    <message>
        <source>却下</source>
        <translation type="vanished">Dismissed</translation>
    </message>
    <message>
        <source>共有済</source>
        <translation type="vanished">Shared</translation>
    </message>
    <message>
        <source>完了</source>
        <translation type="vanished">Closed</translation>
    </message>
    <message>
        <source>気象庁</source>
        <translation type="vanished">JMA</translation>
    </message>
    <message>
        <source>再生</source>
        <translation type="vanished">Replay</translation>
    </message>
    <message>
        <source>その他</source>
        <translation type="vanished">Other</translation>
    </message>
    <message>
        <source>区報告</source>
        <translation type="vanished">Ward report</translation>
    </message>
    <message>
        <source>投稿</source>
        <translation type="vanished">Post</translation>
    </message>
    <message>
        <source>事案</source>
        <translation type="vanished">Incident</translation>
    </message>
</context>
<context>
    <name>window</name>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="634"/>
        <source>本部</source>
        <translation>HQ</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="634"/>
        <source>区</source>
        <translation>Ward</translation>
    </message>
    <message>
        <location filename="../../disaster_desk/ui/main_window.py" line="634"/>
        <source>訓練統制</source>
        <translation>Drill control</translation>
    </message>
</context>
</TS>
